package io.ferry.sandbox;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.sun.net.httpserver.HttpExchange;

/**
 * Wangdiantong's trade query {@code sales.TradeQuery.queryWithDetail} on the direct API, the business part:
 * {@link WangdiantongSimulator} checks the envelope (signature, timestamp, rate limit) and hands the first business
 * argument and the page here.
 * <p>
 * {@code start_time}/{@code end_time} ({@code yyyy-MM-dd HH:mm:ss}, China time) at most 60 minutes apart, else status
 * 100 with a message of this simulator's (the vendor's wording is not published); {@code page_no} from 0. The answer
 * is {@code data.order} (each trade with its {@code detail_list}) and, with {@code calc_total=1},
 * {@code data.total_count}, computed from the live data on every call. Both bounds are inclusive here (undocumented).
 * Trades change over time and a change is visible only after {@code replicaLag}, as {@link JushuitanOrders}'s orders.
 */
public class WangdiantongTrades {

    public static final String METHOD = "sales.TradeQuery.queryWithDetail";
    static final Duration MAX_SPAN = Duration.ofMinutes(60);
    private static final int[] STATUSES = { 30, 55, 95, 110, 5 };

    private final ChangingRecords trades = new ChangingRecords("trade_id");
    private final List<List<Object>> asked = new ArrayList<>();

    /** A seeded data set: {@code count} trades first modified between {@code from} and {@code to}, a share changed later. */
    public synchronized WangdiantongTrades generate(long seed, int count, Instant from, Instant to, double changedShare,
            Duration changesWithin) {
        return generate(50_000_001L, seed, count, from, to, changedShare, changesWithin);
    }

    /** {@code count} new trades after the last one, first modified between {@code from} and {@code to}, never changed. */
    public synchronized WangdiantongTrades append(long seed, int count, Instant from, Instant to) {
        return generate(trades.nextKey(50_000_001L), seed, count, from, to, 0, Duration.ZERO);
    }

    private WangdiantongTrades generate(long firstId, long seed, int count, Instant from, Instant to, double changedShare,
            Duration changesWithin) {
        Random random = new Random(seed);
        long span = Math.max(1, Duration.between(from, to).toSeconds());
        for (int i = 0; i < count; i++) {
            long id = firstId + i;
            Instant first = from.plusSeconds(Math.floorMod(random.nextLong(), span));
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("trade_id", id);
            t.put("trade_no", "JY" + id);
            t.put("shop_no", "WDT" + String.format("%06d", random.nextInt(50)));
            t.put("trade_status", STATUSES[0]);
            t.put("trade_time", ChangingRecords.format(first));
            t.put("modified", ChangingRecords.format(first));
            List<Map<String, Object>> lines = new ArrayList<>();
            for (int l = 0, n = 1 + random.nextInt(3); l < n; l++) {
                lines.add(line(id, l, 0));
            }
            t.put("detail_list", lines);
            trades.add(id, t);
            if (random.nextDouble() < changedShare) {
                addVersion(id, first.plusSeconds(1 + Math.floorMod(random.nextLong(), Math.max(1, changesWithin.toSeconds()))));
            }
        }
        return this;
    }

    /** A change made at {@code at}: the status moves, a quantity grows, a line comes or goes. */
    public synchronized Map<String, Object> modify(long tradeId, Instant at) {
        return addVersion(tradeId, at);
    }

    public synchronized WangdiantongTrades replicaLag(Duration lag) {
        trades.replicaLag(lag);
        return this;
    }

    public synchronized Map<String, Object> latest(long tradeId) {
        return trades.latest(tradeId);
    }

    /** Every trade as a query sees it at {@code now}. */
    public synchronized List<Map<String, Object>> current(Instant now) {
        return trades.current(now);
    }

    /** start_time, end_time and page_no of every query answered, in order. */
    public synchronized List<List<Object>> asked() {
        return List.copyOf(asked);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> addVersion(long id, Instant at) {
        Map<String, Object> next = new LinkedHashMap<>(trades.latest(id));
        int n = trades.versionCount(id);
        next.put("modified", ChangingRecords.format(at));
        next.put("trade_status", STATUSES[n % STATUSES.length]);
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Object o : (List<?>) next.get("detail_list")) {
            lines.add(new LinkedHashMap<>((Map<String, Object>) o));
        }
        lines.get(0).put("num", ((Number) lines.get(0).get("num")).intValue() + 1);
        if (n % 2 == 1) {
            lines.add(line(id, lines.size(), n));
        } else if (lines.size() > 1) {
            lines.remove(lines.size() - 1);
        }
        next.put("detail_list", lines);
        trades.addVersion(id, next);
        return next;
    }

    private static Map<String, Object> line(long id, int index, int version) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("rec_id", id * 100 + index + 10L * version);
        l.put("spec_no", "SPEC-" + ((id + index) % 300));
        l.put("goods_name", "货品" + ((id + index) % 300));
        l.put("num", 1 + index);
        l.put("price", Math.round((5.5 + (id + index) % 60) * 100) / 100.0);
        return l;
    }

    /** Answers one authenticated direct call. */
    void query(HttpExchange ex, Map<String, Object> params, int pageNo, int pageSize, boolean calcTotal) throws IOException {
        Instant begin;
        Instant end;
        try {
            begin = ChangingRecords.parse(String.valueOf(params.get("start_time")));
            end = ChangingRecords.parse(String.valueOf(params.get("end_time")));
        } catch (DateTimeParseException e) {
            error(ex, 1, "参数错误: start_time和end_time必须为yyyy-MM-dd HH:mm:ss");
            return;
        }
        if (end.isBefore(begin) || Duration.between(begin, end).compareTo(MAX_SPAN) > 0) {
            error(ex, 100, "start_time与end_time的间隔不能超过60分钟");
            return;
        }
        List<Map<String, Object>> hits;
        synchronized (this) {
            asked.add(List.of(params.get("start_time"), params.get("end_time"), pageNo));
            hits = trades.modifiedBetween(begin, end, Instant.now());
        }
        int from = Math.min(hits.size(), pageNo * pageSize);
        Map<String, Object> data = new LinkedHashMap<>();
        if (calcTotal) {
            data.put("total_count", hits.size());
        }
        data.put("order", hits.subList(from, Math.min(hits.size(), from + pageSize)));
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("status", 0);
        reply.put("data", data);
        SimulatorServer.json(ex, 200, reply);
    }

    private static void error(HttpExchange ex, int status, String message) throws IOException {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("status", status);
        reply.put("message", message);
        SimulatorServer.json(ex, 200, reply);
    }
}
