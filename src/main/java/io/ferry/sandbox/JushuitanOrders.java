package io.ferry.sandbox;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.sun.net.httpserver.HttpExchange;

/**
 * Jushuitan's order query {@code POST /open/orders/single/query}, the business part: {@link JushuitanSimulator} checks
 * the envelope (signature, token, rate limit) and hands the parsed {@code biz} here.
 * <p>
 * {@code modified_begin}/{@code modified_end} ({@code yyyy-MM-dd HH:mm:ss}, China time) at most 7 days apart, else
 * code {@value #SPAN_TOO_LONG}; {@code page_index} from 1, {@code page_size} 1..100. The answer is
 * {@code data.orders} (each with its {@code items}), {@code data_count}, {@code page_count} and {@code has_next}, computed
 * from the live data on every call, so pages shift when an order changes while a window is paged, as the vendor's do.
 * Both bounds are inclusive here: Jushuitan does not document it, and Ferry reads bounds so that either way is safe.
 * <p>
 * Orders change over time: each has versions, the latest one whose modified time has passed is what a query sees,
 * and only once {@code replicaLag} has passed after its modified time (the vendor reads from replicas). Code
 * {@value #SPAN_TOO_LONG} and its message are this simulator's: the vendor's number for it is not published.
 */
public class JushuitanOrders {

    public static final String PATH = "/open/orders/single/query";
    static final int SPAN_TOO_LONG = 130;
    static final Duration MAX_SPAN = Duration.ofDays(7);

    private final ChangingRecords orders = new ChangingRecords("o_id");
    private long queries;
    /** what each query asked: modified_begin, modified_end, page_index */
    private final List<List<Object>> asked = new ArrayList<>();
    private final Map<Long, Runnable> beforeQuery = new java.util.HashMap<>();
    private long failFrom = Long.MAX_VALUE;
    private long failUntil = Long.MAX_VALUE;

    /**
     * A seeded data set: {@code count} orders first modified between {@code from} and {@code to}; a share of them are
     * modified again up to three times within {@code changesWithin} after that (later changes may lie in the future:
     * they appear when their time comes).
     */
    public synchronized JushuitanOrders generate(long seed, int count, Instant from, Instant to, double changedShare,
            Duration changesWithin) {
        return generate(10_000_001L, seed, count, from, to, changedShare, changesWithin);
    }

    /** {@code count} new orders after the last one, first modified between {@code from} and {@code to}, never changed. */
    public synchronized JushuitanOrders append(long seed, int count, Instant from, Instant to) {
        return generate(orders.nextKey(10_000_001L), seed, count, from, to, 0, Duration.ZERO);
    }

    private JushuitanOrders generate(long firstId, long seed, int count, Instant from, Instant to, double changedShare,
            Duration changesWithin) {
        Random random = new Random(seed);
        long span = Math.max(1, Duration.between(from, to).toSeconds());
        for (int i = 0; i < count; i++) {
            long oId = firstId + i;
            Instant first = from.plusSeconds(Math.floorMod(random.nextLong(), span));
            orders.add(oId, firstVersion(oId, first, random));
            if (random.nextDouble() < changedShare) {
                int changes = 1 + random.nextInt(3);
                Instant at = first;
                for (int c = 0; c < changes; c++) {
                    at = at.plusSeconds(1 + Math.floorMod(random.nextLong(), Math.max(1, changesWithin.toSeconds() / changes)));
                    addVersion(oId, at);
                }
            }
        }
        return this;
    }

    /** A change made to an order at {@code at} (now in a test): status moves, a quantity grows, an item comes or goes. */
    public synchronized Map<String, Object> modify(long oId, Instant at) {
        if (!orders.contains(oId)) {
            throw new IllegalArgumentException("no order " + oId);
        }
        return addVersion(oId, at);
    }

    /** Changes become visible to queries this long after their modified time. */
    public synchronized JushuitanOrders replicaLag(Duration lag) {
        orders.replicaLag(lag);
        return this;
    }

    /** The order's latest version, visible or not. */
    public synchronized Map<String, Object> latest(long oId) {
        return orders.latest(oId);
    }

    /** Every order's latest version whose modified time has passed (what the vendor holds now). */
    public synchronized List<Map<String, Object>> current(Instant now) {
        return orders.current(now);
    }

    public synchronized int count() {
        return orders.count();
    }

    public synchronized long queries() {
        return queries;
    }

    /** modified_begin, modified_end and page_index of every query answered so far, in order. */
    public synchronized List<List<Object>> asked() {
        return List.copyOf(asked);
    }

    /** Runs {@code action} (a change to an order, say) just before query number {@code n} (from 1) is answered. */
    public synchronized JushuitanOrders beforeQuery(long n, Runnable action) {
        beforeQuery.put(n, action);
        return this;
    }

    /** Queries {@code from} to {@code from + count - 1} (numbered from 1) are answered HTTP 500. */
    public synchronized JushuitanOrders failQueries(long from, int count) {
        this.failFrom = from;
        this.failUntil = from + count;
        return this;
    }

    private Map<String, Object> addVersion(long oId, Instant at) {
        Map<String, Object> before = orders.latest(oId);
        Map<String, Object> next = new LinkedHashMap<>(before);
        int n = orders.versionCount(oId);
        next.put("modified", ChangingRecords.format(at));
        next.put("status", STATUSES[n % STATUSES.length]);
        List<Map<String, Object>> items = new ArrayList<>();
        for (Object o : (List<?>) before.get("items")) {
            items.add(new LinkedHashMap<>(castMap(o)));
        }
        Map<String, Object> firstItem = items.get(0);
        firstItem.put("qty", ((Number) firstItem.get("qty")).intValue() + 1);
        if (n % 2 == 1) {
            items.add(item(oId, items.size(), n));
        } else if (items.size() > 1) {
            items.remove(items.size() - 1);
        }
        for (Map<String, Object> it : items) {
            it.put("amount", round2(((Number) it.get("price")).doubleValue() * ((Number) it.get("qty")).intValue()));
        }
        next.put("items", items);
        next.put("pay_amount", round2(items.stream().mapToDouble(it -> ((Number) it.get("amount")).doubleValue()).sum()));
        orders.addVersion(oId, next);
        return next;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static final String[] STATUSES = { "WaitConfirm", "WaitPay", "Delivering", "Sent", "Question", "Cancelled" };

    private static Map<String, Object> firstVersion(long oId, Instant at, Random random) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("o_id", oId);
        o.put("so_id", "SO" + oId);
        o.put("shop_id", 10_000_000L + random.nextInt(50));
        o.put("status", STATUSES[0]);
        o.put("order_date", ChangingRecords.format(at));
        o.put("modified", ChangingRecords.format(at));
        o.put("freight", round2(random.nextInt(20)));
        List<Map<String, Object>> items = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            items.add(item(oId, i, 0));
        }
        o.put("items", items);
        o.put("pay_amount", round2(items.stream().mapToDouble(it -> ((Number) it.get("amount")).doubleValue()).sum()));
        return o;
    }

    private static Map<String, Object> item(long oId, int index, int version) {
        Map<String, Object> it = new LinkedHashMap<>();
        it.put("oi_id", oId * 100 + index + 10L * version);
        it.put("sku_id", "SKU-" + ((oId + index) % 500));
        it.put("name", "商品" + ((oId + index) % 500));
        it.put("qty", 1 + index);
        double price = round2(9.9 + (oId + index) % 90);
        it.put("price", price);
        it.put("amount", round2(price * (1 + index)));
        return it;
    }

    private static double round2(double d) {
        return Math.round(d * 100) / 100.0;
    }

    /** Answers one authenticated call. */
    void query(HttpExchange ex, Map<String, Object> biz) throws IOException {
        Object b = biz.get("modified_begin");
        Object e = biz.get("modified_end");
        if (!(b instanceof String) || !(e instanceof String)) {
            error(ex, 100, "modified_begin和modified_end必须同时传入(或传o_ids/so_ids)");
            return;
        }
        Instant begin;
        Instant end;
        try {
            begin = ChangingRecords.parse((String) b);
            end = ChangingRecords.parse((String) e);
        } catch (DateTimeParseException x) {
            error(ex, 100, "时间格式必须为yyyy-MM-dd HH:mm:ss");
            return;
        }
        if (end.isBefore(begin)) {
            error(ex, 100, "modified_end不能早于modified_begin");
            return;
        }
        if (Duration.between(begin, end).compareTo(MAX_SPAN) > 0) {
            error(ex, SPAN_TOO_LONG, "modified_begin和modified_end的时间间隔不能超过七天");
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
        List<Map<String, Object>> hits;
        synchronized (this) {
            queries++;
            Runnable action = beforeQuery.remove(queries);
            if (action != null) {
                action.run();
            }
            if (queries >= failFrom && queries < failUntil) {
                SimulatorServer.send(ex, 500, "text/plain", "Internal Server Error");
                return;
            }
            asked.add(List.of(b, e, pageIndex));
            hits = orders.modifiedBetween(begin, end, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        }
        int total = hits.size();
        int from = Math.min(total, (pageIndex - 1) * pageSize);
        List<Map<String, Object>> page = hits.subList(from, Math.min(total, from + pageSize));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("page_index", pageIndex);
        data.put("page_size", pageSize);
        data.put("data_count", total);
        data.put("page_count", (total + pageSize - 1) / pageSize);
        data.put("has_next", from + pageSize < total);
        data.put("orders", page);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("code", 0);
        reply.put("msg", "执行成功");
        reply.put("data", data);
        SimulatorServer.json(ex, 200, reply);
    }

    private static void error(HttpExchange ex, int code, String msg) throws IOException {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("code", code);
        reply.put("msg", msg);
        reply.put("data", null);
        SimulatorServer.json(ex, 200, reply);
    }
}
