package io.ferry.sandbox;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A generic JSON API with a seeded set of orders, served in each common paging style, every call checked for
 * {@code Authorization: Bearer <token>} (HTTP 401 otherwise):
 * <ul>
 * <li>{@code GET /v1/orders/by-page?page=N&per_page=M} (from 1) → {@code {"orders":[…],"page":N}};</li>
 * <li>{@code GET /v1/orders/by-offset?offset=O&limit=M} → {@code {"items":[…],"total":T}};</li>
 * <li>{@code GET|POST /v1/orders/by-cursor} with {@code cursor} and {@code limit} (query or JSON body) →
 * {@code {"data":[…],"meta":{"next":"<opaque>"|null}}};</li>
 * <li>{@code GET /v1/orders/by-link?page=N&per_page=M} → a bare JSON list, with {@code Link: <…>; rel="next"} while
 * there are more;</li>
 * <li>{@code POST|PUT /v1/receive} takes one order: {@code {"code":"0"}}, or a business error {@code {"code":"E1001",
 * "message":…}} for an order without {@code order_no} or with a negative {@code amount}; a repeated
 * {@code Idempotency-Key} is answered "0" and not stored twice.</li>
 * </ul>
 * With a limit set ({@link #rateLimit(int)}, off by default) it answers a call past that many in any second
 * (sliding, per bearer token; a refused call is not counted) HTTP 429 with {@code Retry-After}: the whole seconds
 * until the window has room, rounded up.
 */
public class JsonApiSimulator extends SimulatorServer {

    public static final String BY_PAGE = "/v1/orders/by-page";
    public static final String BY_OFFSET = "/v1/orders/by-offset";
    public static final String BY_CURSOR = "/v1/orders/by-cursor";
    public static final String BY_LINK = "/v1/orders/by-link";
    public static final String RECEIVE = "/v1/receive";

    private static final int MAX_PAGE = 500;
    private static final String[] CUSTOMERS = { "上海星辰贸易", "Northwind Traders", "杭州云帆", "Contoso Ltd", "深圳海岸电子", "Fabrikam" };
    private static final String[] STATUSES = { "paid", "shipped", "closed" };

    private final String token;
    private final List<Map<String, Object>> orders;
    private volatile SimulatorRateLimit perSecond;
    private final AtomicLong tooManyAnswers = new AtomicLong();
    private final AtomicInteger forced429 = new AtomicInteger();
    private final AtomicLong pushes = new AtomicLong();
    private final Map<String, Map<String, Object>> received = new ConcurrentHashMap<>();
    private final Set<String> refusedKeys = ConcurrentHashMap.newKeySet();
    private volatile boolean repeatCursor;

    /**
     * @param token   the bearer token every call must carry
     * @param records how many orders it serves
     */
    public JsonApiSimulator(String token, int records) {
        this(token, records, 0);
    }

    /** @param requestsPerSecond as {@link #rateLimit(int)} */
    public JsonApiSimulator(String token, int records, int requestsPerSecond) {
        super("jsonapi");
        this.token = token;
        rateLimit(requestsPerSecond);
        Random random = new Random(20261201L);
        List<Map<String, Object>> list = new ArrayList<>(records);
        for (int i = 1; i <= records; i++) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", i);
            o.put("order_no", String.format("SO-%06d", i));
            o.put("customer", CUSTOMERS[random.nextInt(CUSTOMERS.length)]);
            o.put("amount", (random.nextInt(10_000_000) + 100) / 100.0);
            o.put("currency", "CNY");
            o.put("status", STATUSES[random.nextInt(STATUSES.length)]);
            o.put("created_at", String.format("2026-%02d-%02d %02d:%02d:%02d", 1 + random.nextInt(11), 1 + random.nextInt(28),
                    random.nextInt(24), random.nextInt(60), random.nextInt(60)));
            list.add(o);
        }
        this.orders = List.copyOf(list);
    }

    @Override
    protected void routes(HttpServer server) {
        server.createContext(BY_PAGE, handler(ex -> guarded(ex, this::byPage)));
        server.createContext(BY_OFFSET, handler(ex -> guarded(ex, this::byOffset)));
        server.createContext(BY_CURSOR, handler(ex -> guarded(ex, this::byCursor)));
        server.createContext(BY_LINK, handler(ex -> guarded(ex, this::byLink)));
        server.createContext(RECEIVE, handler(ex -> guarded(ex, this::receive)));
    }

    @FunctionalInterface
    private interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }

    /** The token, then the rate limit, then the call. */
    private void guarded(HttpExchange ex, Handler h) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.equals("Bearer " + token)) {
            json(ex, 401, Map.of("error", "invalid_token", "message", auth == null ? "no bearer token" : "the bearer token is not valid"));
            return;
        }
        SimulatorRateLimit limit = perSecond;
        boolean forced = forced429.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        if (forced || !limit.allow(token)) {
            tooManyAnswers.incrementAndGet();
            long seconds = forced ? 1 : Math.max(1, (limit.nanosUntilRoom(token) + 999_999_999L) / 1_000_000_000L);
            ex.getResponseHeaders().set("Retry-After", String.valueOf(seconds));
            json(ex, 429, Map.of("error", "rate_limited", "message", "too many requests"));
            return;
        }
        h.handle(ex);
    }

    /** At most this many calls in any second per bearer token, sliding (0: no limit). */
    public JsonApiSimulator rateLimit(int requestsPerSecond) {
        this.perSecond = new SimulatorRateLimit(requestsPerSecond, Duration.ofSeconds(1));
        return this;
    }

    private void byPage(HttpExchange ex) throws IOException {
        Map<String, String> q = form(ex.getRequestURI().getRawQuery());
        Integer page = number(ex, q, "page", 1);
        Integer size = number(ex, q, "per_page", 20);
        if (page == null || size == null) {
            return;
        }
        if (page < 1) {
            json(ex, 400, Map.of("error", "bad_request", "message", "page starts at 1"));
            return;
        }
        json(ex, 200, Map.of("orders", slice((long) (page - 1) * size, size), "page", page));
    }

    private void byOffset(HttpExchange ex) throws IOException {
        Map<String, String> q = form(ex.getRequestURI().getRawQuery());
        Integer offset = number(ex, q, "offset", 0);
        Integer limit = number(ex, q, "limit", 20);
        if (offset == null || limit == null) {
            return;
        }
        json(ex, 200, Map.of("items", slice(offset, limit), "total", orders.size()));
    }

    private void byCursor(HttpExchange ex) throws IOException {
        Map<String, String> q = form(ex.getRequestURI().getRawQuery());
        if (ex.getRequestMethod().equals("POST")) {
            String body = body(ex);
            Map<?, ?> m = body.isBlank() ? Map.of() : JSON.readValue(body, Map.class);
            m.forEach((k, v) -> q.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        }
        String cursor = q.get("cursor");
        int from;
        if (cursor == null || cursor.isEmpty()) {
            from = 0;
        } else {
            try {
                from = Integer.parseInt(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).replace("after:", ""));
            } catch (IllegalArgumentException e) {
                json(ex, 400, Map.of("error", "bad_cursor", "message", "unknown cursor " + cursor));
                return;
            }
        }
        Integer limit = number(ex, q, "limit", 20);
        if (limit == null) {
            return;
        }
        List<Map<String, Object>> page = slice(from, limit);
        int end = from + page.size();
        // a faulty API that hands back the cursor it was asked for, once it is past the first page
        String next = end >= orders.size() ? null : repeatCursor && cursor != null ? cursor : cursor(end);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("next", next);
        json(ex, 200, Map.of("data", page, "meta", meta));
    }

    private static String cursor(int after) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("after:" + after).getBytes(StandardCharsets.UTF_8));
    }

    private void byLink(HttpExchange ex) throws IOException {
        Map<String, String> q = form(ex.getRequestURI().getRawQuery());
        Integer page = number(ex, q, "page", 1);
        Integer size = number(ex, q, "per_page", 20);
        if (page == null || size == null) {
            return;
        }
        long from = (long) (page - 1) * size;
        List<Map<String, Object>> slice = slice(from, size);
        if (from + slice.size() < orders.size()) {
            String next = url() + BY_LINK + "?page=" + (page + 1) + "&per_page=" + size;
            ex.getResponseHeaders().add("Link", "<" + url() + BY_LINK + "?page=1&per_page=" + size + ">; rel=\"first\", <" + next
                    + ">; rel=\"next\"");
        }
        json(ex, 200, slice);
    }

    private void receive(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("POST") && !ex.getRequestMethod().equals("PUT")) {
            json(ex, 405, Map.of("error", "method_not_allowed"));
            return;
        }
        pushes.incrementAndGet();
        Map<?, ?> order;
        try {
            order = JSON.readValue(body(ex), Map.class);
        } catch (IOException e) {
            json(ex, 400, Map.of("error", "bad_json", "message", e.getMessage()));
            return;
        }
        Object no = order.get("order_no");
        Object amount = order.get("amount");
        if (no == null || String.valueOf(no).isBlank()) {
            refuse(ex, null, "order_no is required");
            return;
        }
        if (amount instanceof Number n && n.doubleValue() < 0) {
            refuse(ex, String.valueOf(no), "amount must not be negative");
            return;
        }
        String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = (Map<String, Object>) order;
        received.putIfAbsent(key != null ? key : String.valueOf(no), stored);
        json(ex, 200, Map.of("code", "0", "message", "ok"));
    }

    private void refuse(HttpExchange ex, String key, String message) throws IOException {
        if (key != null) {
            refusedKeys.add(key);
        }
        json(ex, 200, Map.of("code", "E1001", "message", message));
    }

    private List<Map<String, Object>> slice(long from, int size) {
        if (from >= orders.size() || from < 0) {
            return List.of();
        }
        return orders.subList((int) from, (int) Math.min(orders.size(), from + size));
    }

    /** A whole-number query parameter in 1..MAX_PAGE (or 0.. for offsets); answers 400 and returns null when it is not. */
    private static Integer number(HttpExchange ex, Map<String, String> q, String name, int dflt) throws IOException {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 0 || (!name.equals("offset") && n > MAX_PAGE)) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            json(ex, 400, Map.of("error", "bad_request", "message", name + " must be a number"
                    + (name.equals("offset") ? "" : " up to " + MAX_PAGE) + ", got " + URLEncoder.encode(v, StandardCharsets.UTF_8)));
            return null;
        }
    }

    /** How many orders it serves. */
    public int count() {
        return orders.size();
    }

    /** The order served at this position (0-based). */
    public Map<String, Object> order(int index) {
        return orders.get(index);
    }

    /** The cursor endpoint hands back the cursor it was asked for (a broken API), or not. */
    public void repeatCursor(boolean repeat) {
        this.repeatCursor = repeat;
    }

    /** The next {@code n} calls are answered HTTP 429, whatever the rate. */
    public void answerTooManyRequests(int n) {
        forced429.set(n);
    }

    public long tooManyRequestsAnswers() {
        return tooManyAnswers.get();
    }

    public long pushes() {
        return pushes.get();
    }

    /** The orders taken by the push endpoint, by idempotency key. */
    public Map<String, Map<String, Object>> received() {
        return received;
    }

    public Set<String> refusedKeys() {
        return refusedKeys;
    }
}
