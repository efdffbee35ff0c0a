package io.ferry.sandbox;

import java.io.IOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Wangdiantong 旗舰版's shop query in both styles, built from protocols.md §2:
 * <ul>
 * <li>direct OpenAPI {@code POST /openapi} ({@code setting.Shop.queryShop}): system parameters in the query string,
 * a JSON array body, MD5 signature over both, {@code timestamp} = seconds since 2012-01-01 +08:00 within 120 s,
 * {@code page_no} from 0;</li>
 * <li>Qimen router {@code GET|POST /router/qm} ({@code wdt.setting.shop.queryshop}, also the unconfirmed
 * {@code wdt.shop.query}): the outer TOP sign (md5 or hmac), the inner {@code wdt_sign} (flattened, or the raw
 * variant one library computes), {@code pager.page_no} from 1.</li>
 * </ul>
 * Signatures are checked by {@link WangdiantongSignature}. Both enforce {@code page_size <= 100} and the call limits
 * per Wangdiantong app key, shared by the two styles and answered with the vendor's status 100 messages: calls per
 * minute (300, sliding; "超过每分钟最大调用频率限制"), calls in flight at once (5; "超过每分钟最大并发次数限制") and,
 * when set, calls per second (sliding, off by default; answered as the per-minute one, the only frequency message
 * known). The vendor publishes none of these numbers (protocols.md §2.1); a refused call is counted in no limit.
 * Both serve one deterministic shop data set of any size, generated on demand. The Wangdiantong statuses and
 * messages are the published ones (status 1, 7, 8, 100); the Qimen router's failure codes (TOP's 25, 29, 41, 22)
 * and the {@code page_size} bound are this simulator's own choice: the real ones are not documented.
 */
public class WangdiantongSimulator extends SimulatorServer {

    public static final String DIRECT_PATH = "/openapi";
    public static final String QIMEN_PATH = "/router/qm";
    public static final String RATE_LIMIT_MESSAGE = "超过每分钟最大调用频率限制，请稍后重试";
    public static final String CONCURRENCY_LIMIT_MESSAGE = "超过每分钟最大并发次数限制，请稍后重试";
    static final long EPOCH_2012 = 1_325_347_200L;
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    static final int MAX_PAGE_SIZE = 100;

    private final String sid;
    private final String appKey;
    private final String secret;
    private final String salt;
    private final String qimenAppKey;
    private final String qimenSecret;
    private final String targetAppKey;
    private final AtomicInteger shopCount;
    private volatile boolean rateLimited = true;
    private volatile SimulatorRateLimit perMinute = perMinute(300);
    private volatile SimulatorRateLimit perSecond = new SimulatorRateLimit(0, Duration.ofSeconds(1));
    private final SimulatorConcurrencyLimit concurrency = new SimulatorConcurrencyLimit(5);
    private final AtomicLong concurrencyLimitAnswers = new AtomicLong();
    private volatile Duration answerLatency = Duration.ZERO;
    private final AtomicInteger forcedRateLimits = new AtomicInteger();
    private volatile String forcedRateLimitMessage = RATE_LIMIT_MESSAGE;
    private final AtomicLong rateLimitAnswers = new AtomicLong();
    private volatile boolean reportTotals = true;
    /** page_no as asked → a canned answer (status, content type, body) */
    private final Map<Integer, String[]> pageOverrides = new ConcurrentHashMap<>();
    private final Map<Integer, Map<String, Object>> shopOverrides = new ConcurrentHashMap<>();
    /** page_no as asked → a Wangdiantong status and message, in the style's envelope */
    private final Map<Integer, Object[]> pageStatuses = new ConcurrentHashMap<>();
    private final List<String> pagesAsked = Collections.synchronizedList(new ArrayList<>());

    /** @param appSecret as Wangdiantong delivers it: {@code secret:salt} */
    public WangdiantongSimulator(String sid, String appKey, String appSecret, String qimenAppKey, String qimenSecret,
            String targetAppKey, int shops) {
        super("wangdiantong");
        this.sid = sid;
        this.appKey = appKey;
        this.secret = appSecret.substring(0, appSecret.indexOf(':'));
        this.salt = appSecret.substring(appSecret.indexOf(':') + 1);
        this.qimenAppKey = qimenAppKey;
        this.qimenSecret = qimenSecret;
        this.targetAppKey = targetAppKey;
        this.shopCount = new AtomicInteger(shops);
    }

    private final WangdiantongTrades trades = new WangdiantongTrades();

    @Override
    protected void routes(HttpServer server) {
        server.createContext(DIRECT_PATH, handler(this::direct));
        server.createContext(QIMEN_PATH, handler(this::qimen));
    }

    // ---- knobs for tests and the sandbox ----

    /** The trades of sales.TradeQuery.queryWithDetail (direct API). */
    public WangdiantongTrades trades() {
        return trades;
    }

    private static SimulatorRateLimit perMinute(int calls) {
        return new SimulatorRateLimit(calls, Duration.ofMinutes(1));
    }

    /** Turns the call limits (per minute, per second, in flight) on or off. */
    public WangdiantongSimulator rateLimit(boolean on) {
        this.rateLimited = on;
        return this;
    }

    /** Sets the per-minute call limit (default 300; the vendor's number is not published). */
    public WangdiantongSimulator rateLimit(int callsPerMinute) {
        this.perMinute = perMinute(callsPerMinute);
        this.rateLimited = true;
        return this;
    }

    /** Sets a per-second call limit, sliding (default 0: none), e.g. to mimic a vendor at 5 calls/s. */
    public WangdiantongSimulator rateLimitPerSecond(int callsPerSecond) {
        this.perSecond = new SimulatorRateLimit(callsPerSecond, Duration.ofSeconds(1));
        this.rateLimited = true;
        return this;
    }

    /** Sets the limit of calls in flight at once per app key (default 5; 0: none). */
    public WangdiantongSimulator concurrencyLimit(int calls) {
        concurrency.limit(calls);
        this.rateLimited = true;
        return this;
    }

    /** Each call let in waits this long before it is answered, holding its place among the calls in flight. */
    public WangdiantongSimulator answerLatency(Duration latency) {
        this.answerLatency = latency;
        return this;
    }

    /** The next {@code n} calls answer status 100 with the call-frequency (or the concurrency) message. */
    public void rateLimitNext(int n, boolean concurrency) {
        forcedRateLimitMessage = concurrency ? CONCURRENCY_LIMIT_MESSAGE : RATE_LIMIT_MESSAGE;
        forcedRateLimits.set(n);
    }

    /** Calls answered with a limit's status 100, of either message (the forced ones of {@link #rateLimitNext} too). */
    public long rateLimitAnswers() {
        return rateLimitAnswers.get();
    }

    /** Of {@link #rateLimitAnswers()}, those refused because the calls in flight were at the limit. */
    public long concurrencyLimitAnswers() {
        return concurrencyLimitAnswers.get();
    }

    /** The most calls that were in flight at once (limits on or off). */
    public int mostInFlight() {
        return concurrency.mostInFlight();
    }

    /** Whether answers carry {@code total_count}; without it a client can only stop on a short page. */
    public void reportTotals(boolean on) {
        this.reportTotals = on;
    }

    public int shopCount() {
        return shopCount.get();
    }

    /** New shops appear at the end of the data set. */
    public void addShops(int n) {
        shopCount.addAndGet(n);
    }

    /** Page {@code pageNo} (as asked, in either style) answers this instead (an HTML error page, broken JSON …). */
    public void overridePage(int pageNo, int httpStatus, String contentType, String body) {
        pageOverrides.put(pageNo, new String[] { String.valueOf(httpStatus), contentType, body });
    }

    /** Page {@code pageNo} answers a Wangdiantong error status in the style's own envelope. */
    public void failPage(int pageNo, int status, String message) {
        pageStatuses.put(pageNo, new Object[] { status, message });
    }

    /** Shop number {@code index} (0-based) is served as {@code record} instead of its generated self (a changed shop). */
    public void overrideShop(int index, Map<String, Object> record) {
        shopOverrides.put(index, record);
    }

    public void clearOverrides() {
        shopOverrides.clear();
        pageOverrides.clear();
        pageStatuses.clear();
    }

    /** Every page asked for that got as far as paging, as {@code direct:N} or {@code qimen:N}. */
    public List<String> pagesAsked() {
        synchronized (pagesAsked) {
            return List.copyOf(pagesAsked);
        }
    }

    /** The generated shop number {@code i}: the same on every call. */
    public static Map<String, Object> shop(int i) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("shop_id", 1000 + i);
        s.put("shop_no", String.format("WDT%06d", i));
        s.put("shop_name", "旺店通测试店铺" + i);
        s.put("platform_id", PLATFORMS[i % PLATFORMS.length]);
        s.put("sub_platform_id", 0);
        s.put("contact", "联系人" + i);
        s.put("province", "浙江省");
        s.put("city", "杭州市");
        s.put("district", "西湖区");
        s.put("address", "文三路" + (100 + i % 900) + "号");
        s.put("telno", "");
        s.put("mobile", String.format("138%08d", i % 100_000_000));
        s.put("zip", "310000");
        s.put("email", "");
        s.put("remark", i % 7 == 0 ? "重点店铺" : "");
        s.put("website", "https://shop" + i + ".example.com");
        s.put("group_id", "无");
        s.put("account_id", "");
        s.put("is_disabled", i % 23 == 22);
        s.put("auth_state", i % 11 == 10 ? 2 : 1);
        s.put("auth_time", String.format("2023-%02d-%02d 08:16:07", 1 + i % 12, 1 + i % 28));
        s.put("re_expire_time", "");
        s.put("modified", String.format("2024-%02d-%02d %02d:%02d:%02d", 1 + i % 12, 1 + i % 28, i % 24, i % 60, (i * 7) % 60));
        s.put("expire_time", "2029-11-19 05:59:59");
        s.put("created", String.format("2023-%02d-%02d %02d:%02d:%02d", 1 + i % 12, 1 + i % 28, i % 24, (i * 3) % 60, i % 60));
        return s;
    }

    private static final int[] PLATFORMS = { 1, 3, 127, 69, 60 };

    // ---- direct OpenAPI ----

    private void direct(HttpExchange ex) throws IOException {
        if (envelopeFault(ex) != Faults.Fault.NONE) {
            // injected rate-limit or vendor fault: answered as the per-minute limit, which the client waits out
            rateLimitNext(1, false);
        }
        if (!"POST".equals(ex.getRequestMethod())) {
            send(ex, 405, "text/plain", "only POST");
            return;
        }
        Map<String, String> q = form(ex.getRequestURI().getRawQuery());
        String body = body(ex);
        for (String required : new String[] { "sid", "key", "salt", "method", "v", "timestamp", "sign" }) {
            if (q.get(required) == null || q.get(required).isEmpty()) {
                directError(ex, 1, "参数错误: 缺少" + required);
                return;
            }
        }
        if (!sid.equals(q.get("sid"))) {
            directError(ex, 1, "sid not exists");
            return;
        }
        if (!appKey.equals(q.get("key")) || !salt.equals(q.get("salt"))) {
            directError(ex, 1, "app auth fail");
            return;
        }
        if (!"1.0".equals(q.get("v"))) {
            directError(ex, 8, "版本错误");
            return;
        }
        int ts;
        try {
            // the server parses an int: a millisecond timestamp fails exactly like this (protocols.md §2.1)
            ts = Integer.parseInt(q.get("timestamp"));
        } catch (NumberFormatException e) {
            directError(ex, 1, "For input string: \"" + q.get("timestamp") + "\"");
            return;
        }
        long now = System.currentTimeMillis() / 1000 - EPOCH_2012;
        if (Math.abs(now - ts) > 120) {
            directError(ex, 7, "时间戳错误");
            return;
        }
        if (!WangdiantongSignature.verifyDirect(secret, q, body)) {
            directError(ex, 1, "签名验证失败");
            return;
        }
        boolean tradeQuery = WangdiantongTrades.METHOD.equals(q.get("method"));
        if (!tradeQuery && !"setting.Shop.queryShop".equals(q.get("method"))) {
            directError(ex, 1, "方法不存在: " + q.get("method"));
            return;
        }
        if (q.get("page_size") == null) {
            directError(ex, 100, "此方法仅支持分页查询");
            return;
        }
        Map<String, Object> params;
        try {
            List<Object> args = JSON.readValue(body, new TypeReference<List<Object>>() {
            });
            if (args.isEmpty() || !(args.get(0) instanceof Map)) {
                directError(ex, 1, "参数错误: body必须是参数数组");
                return;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> first = (Map<String, Object>) args.get(0);
            params = first;
        } catch (IOException e) {
            directError(ex, 1, "参数错误: body必须是JSON数组");
            return;
        }
        Integer pageNo = intOrNull(q.get("page_no"));
        Integer pageSize = intOrNull(q.get("page_size"));
        if (pageNo == null || pageNo < 0 || pageSize == null || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            directError(ex, 1, "参数错误: page_no从0开始, page_size在1到" + MAX_PAGE_SIZE + "之间");
            return;
        }
        String refusal = admit();
        if (refusal != null) {
            directError(ex, 100, refusal);
            return;
        }
        Runnable leave = onAnswer(ex, () -> concurrency.leave(appKey));
        try {
            answerDirect(ex, q, params, tradeQuery, pageNo, pageSize);
        } finally {
            leave.run();
        }
    }

    private void answerDirect(HttpExchange ex, Map<String, String> q, Map<String, Object> params, boolean tradeQuery, int pageNo,
            int pageSize) throws IOException {
        waitLatency();
        if (tradeQuery) {
            trades.query(ex, params, pageNo, pageSize, "1".equals(q.get("calc_total")));
            return;
        }
        pagesAsked.add("direct:" + pageNo);
        if (answeredOverride(ex, pageNo, false)) {
            return;
        }
        Map<String, Object> data = page(params, (long) pageNo * pageSize, pageSize, "1".equals(q.get("calc_total")));
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("status", 0);
        reply.put("data", data);
        json(ex, 200, reply);
    }

    private static void directError(HttpExchange ex, int status, String message) throws IOException {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("status", status);
        reply.put("message", message);
        json(ex, 200, reply);
    }

    // ---- Qimen custom API ----

    private void qimen(HttpExchange ex) throws IOException {
        if (envelopeFault(ex) != Faults.Fault.NONE) {
            // injected rate-limit or vendor fault: answered as the per-minute limit, which the client waits out
            rateLimitNext(1, false);
        }
        Map<String, String> p = form(ex.getRequestURI().getRawQuery());
        if ("POST".equals(ex.getRequestMethod())) {
            p.putAll(form(body(ex)));
        } else if (!"GET".equals(ex.getRequestMethod())) {
            send(ex, 405, "text/plain", "only GET or POST");
            return;
        }
        for (String required : new String[] { "app_key", "method", "timestamp", "sign", "sign_method", "v", "target_app_key" }) {
            if (p.get(required) == null || p.get(required).isEmpty()) {
                routerFailure(ex, "41", "Invalid arguments:" + required, "isv.missing-parameter:" + required);
                return;
            }
        }
        if (!qimenAppKey.equals(p.get("app_key"))) {
            routerFailure(ex, "29", "Invalid app Key", "isv.appkey-not-exists");
            return;
        }
        String signMethod = p.get("sign_method");
        if (!signMethod.equals("md5") && !signMethod.equals("hmac")) {
            routerFailure(ex, "41", "Invalid arguments:sign_method", "isv.invalid-parameter:sign_method");
            return;
        }
        if (!WangdiantongSignature.verifyRouterSign(qimenSecret, p)) {
            routerFailure(ex, "25", "Invalid signature", "isv.invalid-signature");
            return;
        }
        try {
            LocalDateTime sent = LocalDateTime.parse(p.get("timestamp"), DATETIME);
            if (Math.abs(ChronoUnit.SECONDS.between(sent, LocalDateTime.now(CHINA))) > 600) {
                routerFailure(ex, "43", "Invalid timestamp", "isv.invalid-timestamp");
                return;
            }
        } catch (DateTimeParseException e) {
            routerFailure(ex, "41", "Invalid arguments:timestamp", "isv.invalid-parameter:timestamp");
            return;
        }
        if (!targetAppKey.equals(p.get("target_app_key"))) {
            routerFailure(ex, "41", "Invalid arguments:target_app_key", "isv.target-app-key-invalid");
            return;
        }
        String method = p.get("method");
        // two client libraries disagree on the method's name (protocols.md §2.2 CONFLICT): both are served
        if (!method.equals("wdt.setting.shop.queryshop") && !method.equals("wdt.shop.query")) {
            routerFailure(ex, "22", "Invalid method", "isv.invalid-method:" + method);
            return;
        }
        if (!sid.equals(p.get("wdt3_customer_id"))) {
            qimenError(ex, 1, "sid not exists");
            return;
        }
        if (!appKey.equals(p.get("wdt_appkey")) || !salt.equals(p.get("wdt_salt"))) {
            qimenError(ex, 1, "app auth fail");
            return;
        }
        if (!WangdiantongSignature.verifyWdtSign(secret, p)) {
            qimenError(ex, 1, "签名验证失败");
            return;
        }
        Map<String, Object> params;
        Map<String, Object> pager;
        try {
            params = p.get("params") == null ? Map.of() : JSON.readValue(p.get("params"), new TypeReference<Map<String, Object>>() {
            });
            pager = p.get("pager") == null ? null : JSON.readValue(p.get("pager"), new TypeReference<Map<String, Object>>() {
            });
        } catch (IOException e) {
            qimenError(ex, 1, "参数错误: params/pager必须是JSON对象");
            return;
        }
        if (pager == null) {
            qimenError(ex, 100, "此方法仅支持分页查询");
            return;
        }
        int pageNo = pager.get("page_no") instanceof Number n ? n.intValue() : -1;
        int pageSize = pager.get("page_size") instanceof Number n ? n.intValue() : -1;
        if (pageNo < 1) {
            qimenError(ex, 1, "参数错误: 奇门接口的页码从1开始");
            return;
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            qimenError(ex, 1, "参数错误: page_size在1到" + MAX_PAGE_SIZE + "之间");
            return;
        }
        String refusal = admit();
        if (refusal != null) {
            qimenError(ex, 100, refusal);
            return;
        }
        Runnable leave = onAnswer(ex, () -> concurrency.leave(appKey));
        try {
            answerQimen(ex, p, params, pageNo, pageSize);
        } finally {
            leave.run();
        }
    }

    private void answerQimen(HttpExchange ex, Map<String, String> p, Map<String, Object> params, int pageNo, int pageSize)
            throws IOException {
        waitLatency();
        pagesAsked.add("qimen:" + pageNo);
        if (answeredOverride(ex, pageNo, true)) {
            return;
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("status", 0);
        response.put("data", page(params, (long) (pageNo - 1) * pageSize, pageSize, "1".equals(p.get("calc_total"))));
        json(ex, 200, Map.of("response", response));
    }

    private static void routerFailure(HttpExchange ex, String code, String message, String subCode) throws IOException {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("flag", "failure");
        response.put("code", code);
        response.put("message", message);
        response.put("sub_code", subCode);
        response.put("sub_message", message);
        response.put("request_id", Long.toString(System.nanoTime(), 36));
        json(ex, 200, Map.of("response", response));
    }

    private static void qimenError(HttpExchange ex, int status, String message) throws IOException {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("status", status);
        response.put("message", message);
        json(ex, 200, Map.of("response", response));
    }

    // ---- shared ----

    /**
     * Null when the call is let in: it is then in flight until its answer is written, and the caller leaves the
     * concurrency limit after. Otherwise the status 100 message that refuses it, and the call is counted nowhere.
     */
    private synchronized String admit() {
        if (forcedRateLimits.get() > 0) {
            forcedRateLimits.decrementAndGet();
            rateLimitAnswers.incrementAndGet();
            return forcedRateLimitMessage;
        }
        if (rateLimited) {
            if (concurrency.full(appKey)) {
                rateLimitAnswers.incrementAndGet();
                concurrencyLimitAnswers.incrementAndGet();
                return CONCURRENCY_LIMIT_MESSAGE;
            }
            if (SimulatorRateLimit.refusing(appKey, perMinute, perSecond) != null) {
                rateLimitAnswers.incrementAndGet();
                return RATE_LIMIT_MESSAGE;
            }
        }
        concurrency.enter(appKey);
        return null;
    }

    private void waitLatency() {
        long ms = answerLatency.toMillis();
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean answeredOverride(HttpExchange ex, int pageNo, boolean qimen) throws IOException {
        String[] canned = pageOverrides.get(pageNo);
        if (canned != null) {
            send(ex, Integer.parseInt(canned[0]), canned[1], canned[2]);
            return true;
        }
        Object[] status = pageStatuses.get(pageNo);
        if (status != null) {
            if (qimen) {
                qimenError(ex, (Integer) status[0], (String) status[1]);
            } else {
                directError(ex, (Integer) status[0], (String) status[1]);
            }
            return true;
        }
        return false;
    }

    /** {@code data}: the shops from {@code from} on, filtered by shop_no when asked. */
    private Map<String, Object> page(Map<String, Object> params, long from, int pageSize, boolean calcTotal) {
        int total = shopCount.get();
        List<Map<String, Object>> details = new ArrayList<>();
        long count;
        Object shopNo = params.get("shop_no");
        if (shopNo != null && !shopNo.toString().isEmpty()) {
            int idx = indexOf(shopNo.toString());
            boolean exists = idx >= 0 && idx < total;
            count = exists ? 1 : 0;
            if (exists && from == 0) {
                details.add(shopOverrides.getOrDefault(idx, shop(idx)));
            }
        } else {
            count = total;
            for (long i = from; i < Math.min(total, from + pageSize); i++) {
                details.add(shopOverrides.getOrDefault((int) i, shop((int) i)));
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        if (calcTotal && reportTotals) {
            data.put("total_count", count);
        }
        data.put("details", details);
        return data;
    }

    private static int indexOf(String shopNo) {
        if (shopNo.matches("WDT\\d{6}")) {
            return Integer.parseInt(shopNo.substring(3));
        }
        return -1;
    }

    private static Integer intOrNull(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
