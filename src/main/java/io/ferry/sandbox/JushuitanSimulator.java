package io.ferry.sandbox;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
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
 * A Jushuitan open API v2 shop query ({@code POST /open/shops/query}) built from protocols.md §3.1.
 * <p>
 * It checks every system parameter, the app key, the access token and the MD5 signature ({@link JushuitanSignature});
 * enforces {@code page_size <= 100} and the rate limit per app key ({@link SimulatorRateLimit}: 5 calls/s → code 199,
 * 100 calls/min → code 200); and serves a deterministic shop data set of any size, generated on demand so that a
 * million shops cost no memory.
 * The codes for a bad parameter (100), a bad signature (101), a bad token (102) and an unknown app key (103)
 * are this simulator's own: the vendor's numbers for them are not published.
 */
public class JushuitanSimulator extends SimulatorServer {

    public static final String PATH = "/open/shops/query";

    private final String appKey;
    private final String appSecret;
    private final String accessToken;
    private final AtomicInteger shopCount;
    private volatile boolean rateLimited = true;
    private volatile SimulatorRateLimit perSecond = perSecond(5);
    private volatile SimulatorRateLimit perMinute = perMinute(100);
    private final AtomicLong rateLimitAnswers = new AtomicLong();
    private final AtomicInteger forcedRateLimits = new AtomicInteger();
    /** A canned answer for one page, for bad-input tests. */
    private record Canned(int status, String contentType, byte[] body) {
    }

    private final Map<Integer, Canned> pageOverrides = new ConcurrentHashMap<>();
    /** shop index → replacement record (null value: the shop loses its shop_id) */
    private final Map<Integer, Map<String, Object>> shopOverrides = new ConcurrentHashMap<>();
    private final JushuitanOrders orders = new JushuitanOrders();

    public JushuitanSimulator(String appKey, String appSecret, String accessToken, int shops) {
        super("jushuitan");
        this.appKey = appKey;
        this.appSecret = appSecret;
        this.accessToken = accessToken;
        this.shopCount = new AtomicInteger(shops);
    }

    @Override
    protected void routes(HttpServer server) {
        server.createContext(PATH, handler(this::shopsQuery));
        server.createContext(JushuitanOrders.PATH, handler(this::shopsQuery)); // same envelope; the biz is answered by orders
    }

    private static SimulatorRateLimit perSecond(int calls) {
        return new SimulatorRateLimit(calls, Duration.ofSeconds(1));
    }

    private static SimulatorRateLimit perMinute(int calls) {
        return new SimulatorRateLimit(calls, Duration.ofMinutes(1));
    }

    /** Turns the vendor's rate limit on or off (off for benchmarks). */
    public JushuitanSimulator rateLimit(boolean on) {
        this.rateLimited = on;
        return this;
    }

    /** Overrides the limits (defaults 5/s and 100/min; 0 is no limit). */
    public JushuitanSimulator rateLimit(int callsPerSecond, int callsPerMinute) {
        this.perSecond = perSecond(callsPerSecond);
        this.perMinute = perMinute(callsPerMinute);
        this.rateLimited = true;
        return this;
    }

    /** The next {@code calls} valid calls are answered with code 199, whatever the windows say. */
    public void answerRateLimited(int calls) {
        forcedRateLimits.set(calls);
    }

    public long rateLimitAnswers() {
        return rateLimitAnswers.get();
    }

    /** The orders of /open/orders/single/query. */
    public JushuitanOrders orders() {
        return orders;
    }

    public int shopCount() {
        return shopCount.get();
    }

    /** New shops appear at the end of the data set. */
    public void addShops(int n) {
        shopCount.addAndGet(n);
    }

    /** Page {@code pageIndex} answers this instead of data (an HTML error page, broken JSON …). */
    public void overridePage(int pageIndex, int status, String contentType, String body) {
        overridePage(pageIndex, status, contentType, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Page {@code pageIndex} answers these bytes (not necessarily UTF-8). */
    public void overridePage(int pageIndex, int status, String contentType, byte[] body) {
        pageOverrides.put(pageIndex, new Canned(status, contentType, body));
    }

    public void clearPageOverrides() {
        pageOverrides.clear();
    }

    /** Shop number {@code index} (0-based) is served as {@code record} instead of its generated self. */
    public void overrideShop(int index, Map<String, Object> record) {
        shopOverrides.put(index, record);
    }

    public void clearShopOverrides() {
        shopOverrides.clear();
    }

    /** The generated shop number {@code i}: the same on every call. */
    public static Map<String, Object> shop(int i) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("shop_id", 10_000_000L + i);
        s.put("shop_name", "聚水潭测试店铺" + i);
        s.put("co_id", 10_174_711);
        s.put("shop_site", SITES[i % SITES.length]);
        s.put("shop_url", "https://shop" + i + ".example.com");
        // concatenation, not String.format: formatting was 40% of the simulator's CPU for a page
        s.put("created", "2024-" + two(1 + i % 12) + "-" + two(1 + i % 28) + " " + two(i % 24) + ":" + two(i % 60) + ":" + two((i * 7) % 60));
        s.put("nick", "nick" + i);
        s.put("session_expired", "2027-" + two(1 + i % 12) + "-" + two(1 + i % 28) + " 23:59:59");
        s.put("session_uid", "uid-" + i);
        s.put("short_name", "店" + i);
        s.put("group_id", i % 5);
        s.put("group_name", "分组" + (i % 5));
        return s;
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : String.valueOf(n);
    }

    private static final String[] SITES = { "淘宝天猫", "京东", "拼多多", "抖音", "快手" };

    private void shopsQuery(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            send(ex, 405, "text/plain", "only POST");
            return;
        }
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        if (ct == null || !ct.startsWith("application/x-www-form-urlencoded")) {
            error(ex, 100, "Content-Type必须为application/x-www-form-urlencoded");
            return;
        }
        Map<String, String> p = form(body(ex));
        for (String required : new String[] { "app_key", "access_token", "timestamp", "charset", "version", "biz", "sign" }) {
            if (p.get(required) == null || p.get(required).isEmpty()) {
                error(ex, 100, "缺少参数: " + required);
                return;
            }
        }
        if (!"2".equals(p.get("version"))) {
            error(ex, 100, "version必须为2");
            return;
        }
        if (!p.get("timestamp").matches("\\d{10}")) {
            error(ex, 100, "timestamp必须为秒级时间戳");
            return;
        }
        if (!appKey.equals(p.get("app_key"))) {
            error(ex, 103, "app_key不存在");
            return;
        }
        if (!JushuitanSignature.verify(appSecret, p)) {
            error(ex, 101, "签名验证失败");
            return;
        }
        if (!accessToken.equals(p.get("access_token"))) {
            error(ex, 102, "access_token无效或已过期");
            return;
        }
        Faults.Fault fault = envelopeFault(ex);
        if (fault == Faults.Fault.VENDOR_ERROR) {
            error(ex, 500, "系统繁忙，请稍后重试");
            return;
        }
        if (fault == Faults.Fault.RATE_LIMIT || forcedRateLimits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            rateLimitAnswers.incrementAndGet();
            error(ex, 199, "接口调用频率超过限制(每秒5次)，请稍后重试");
            return;
        }
        if (rateLimited) {
            // a call either window refuses is counted in neither
            SimulatorRateLimit second = perSecond;
            SimulatorRateLimit minute = perMinute;
            SimulatorRateLimit refusing = SimulatorRateLimit.refusing(p.get("app_key"), second, minute);
            if (refusing == second) {
                rateLimitAnswers.incrementAndGet();
                error(ex, 199, "接口调用频率超过限制(每秒5次)，请稍后重试");
                return;
            }
            if (refusing == minute) {
                rateLimitAnswers.incrementAndGet();
                error(ex, 200, "接口调用次数超过限制(每分钟100次)，请稍后重试");
                return;
            }
        }
        Map<String, Object> biz;
        try {
            biz = JSON.readValue(p.get("biz"), new TypeReference<Map<String, Object>>() {
            });
        } catch (IOException e) {
            error(ex, 100, "biz不是合法的JSON");
            return;
        }
        if (JushuitanOrders.PATH.equals(ex.getRequestURI().getPath())) {
            orders.query(ex, biz);
            return;
        }
        int pageIndex = biz.get("page_index") instanceof Number n ? n.intValue() : 1;
        int pageSize = biz.get("page_size") instanceof Number n ? n.intValue() : 30;
        if (pageIndex < 1) {
            error(ex, 100, "page_index从1开始");
            return;
        }
        if (pageSize < 1 || pageSize > 100) {
            error(ex, 100, "page_size必须在1到100之间");
            return;
        }
        Canned canned = pageOverrides.get(pageIndex);
        if (canned != null) {
            send(ex, canned.status(), canned.contentType(), canned.body());
            return;
        }
        int total = shopCount.get();
        long from = (long) (pageIndex - 1) * pageSize;
        List<Map<String, Object>> datas = new ArrayList<>();
        for (long i = from; i < Math.min(total, from + pageSize); i++) {
            int idx = (int) i;
            datas.add(shopOverrides.containsKey(idx) ? shopOverrides.get(idx) : shop(idx));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("page_index", pageIndex);
        data.put("page_size", pageSize);
        data.put("has_next", from + pageSize < total);
        data.put("datas", datas);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("code", 0);
        reply.put("msg", "执行成功");
        reply.put("data", data);
        json(ex, 200, reply);
    }

    private static void error(HttpExchange ex, int code, String msg) throws IOException {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("code", code);
        reply.put("msg", msg);
        reply.put("data", null);
        json(ex, 200, reply);
    }
}
