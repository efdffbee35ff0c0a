package io.ferry.bench;

import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;

/**
 * The ceiling of jst-orders-to-mysql under Jushuitan's limits: the same windows and pages written by hand, without
 * Camel and without any state. Windows as the route asks for them (7 days, the first reaching back by the lookback
 * and each later one beginning one second before the previous one's end, up to now − lag), pages of 100 by signed
 * form POST over Apache HttpClient 5, calls sent as fast as the vendor's windows allow (5 calls in any second, 100
 * in any minute, counted here exactly, with no margin; a call refused anyway, its arrival at the vendor having
 * jittered into a full second, is not counted, as the vendor does not count it, and is asked again 20 ms later), and per
 * 50 orders one transaction: a batch upsert of bi_order, the items' delete and a batch insert of bi_order_item. The
 * batches are written on a thread of their own, so that nothing but the limits paces the calls.
 * <p>
 * Arguments: simulatorUrl appKey appSecret accessToken jdbcUrl windowStartEpochSecond
 */
public final class HandWrittenOrdersBenchmark {

    static final Duration WINDOW = Duration.ofDays(7);
    static final Duration LOOKBACK = Duration.ofMinutes(10);
    static final Duration LAG = Duration.ofSeconds(30);
    private static final int PAGE_SIZE = 100;
    private static final int BATCH = 50;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of("Asia/Shanghai"));
    private static final String UPSERT = "INSERT INTO bi_order (o_id, so_id, shop_id, status, order_date, modified, pay_amount, "
            + "freight, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP(3)) ON DUPLICATE KEY UPDATE "
            + "so_id = VALUES(so_id), shop_id = VALUES(shop_id), status = VALUES(status), order_date = VALUES(order_date), "
            + "modified = VALUES(modified), pay_amount = VALUES(pay_amount), freight = VALUES(freight), synced_at = VALUES(synced_at)";
    private static final String DELETE_ITEMS = "DELETE FROM bi_order_item WHERE o_id = ?";
    private static final String INSERT_ITEM = "INSERT INTO bi_order_item (o_id, oi_id, sku_id, name, qty, price, amount) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?)";

    private HandWrittenOrdersBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0] + "/open/orders/single/query");
        String appKey = args[1];
        String secret = args[2];
        String token = args[3];
        Instant start = Instant.ofEpochSecond(Long.parseLong(args[5]));
        try (CloseableHttpClient http = HttpClients.custom().disableAutomaticRetries().build();
                Connection c = DriverManager.getConnection(args[4], "root", "")) {
            createTables(c);
            c.setAutoCommit(false);
            StatementCounter.reset();
            HeapWatch heap = HeapWatch.start();
            long t0 = System.nanoTime();
            Instant horizon = Instant.now().minus(LAG).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            VendorWindows limit = new VendorWindows();
            long records = 0;
            long calls = 0;
            long refused = 0;
            int windows = 0;
            List<JsonNode> batch = new ArrayList<>();
            java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor();
            Deque<java.util.concurrent.Future<?>> written = new ArrayDeque<>();
            try (PreparedStatement upsert = c.prepareStatement(UPSERT); PreparedStatement delete = c.prepareStatement(DELETE_ITEMS);
                    PreparedStatement insert = c.prepareStatement(INSERT_ITEM)) {
                Instant begin = start.minus(LOOKBACK).minusSeconds(1);
                while (true) {
                    Instant end = begin.plus(WINDOW).isAfter(horizon) ? horizon : begin.plus(WINDOW);
                    windows++;
                    boolean more = true;
                    for (int page = 1; more; page++) {
                        String biz = "{\"modified_begin\":\"" + TIME.format(begin) + "\",\"modified_end\":\"" + TIME.format(end)
                                + "\",\"page_index\":" + page + ",\"page_size\":" + PAGE_SIZE + "}";
                        JsonNode root;
                        while (true) {
                            limit.acquire();
                            root = HandWrittenBenchmark.post(http, uri, appKey, secret, token, biz);
                            int code = root.path("code").asInt(-1);
                            if (code == 0) {
                                break;
                            }
                            if (code != 199 && code != 200) {
                                throw new IllegalStateException(biz + ": " + root);
                            }
                            refused++;
                            limit.refused();
                            Thread.sleep(20);
                        }
                        calls++;
                        JsonNode data = root.get("data");
                        for (JsonNode order : data.get("orders")) {
                            batch.add(order);
                            records++;
                            if (batch.size() == BATCH) {
                                List<JsonNode> b = List.copyOf(batch);
                                batch.clear();
                                written.add(writer.submit(() -> write(c, upsert, delete, insert, b)));
                                while (!written.isEmpty() && written.peekFirst().isDone()) {
                                    written.pollFirst().get(); // a failed write ends the run
                                }
                            }
                        }
                        more = data.path("has_next").asBoolean(false) && data.get("orders").size() > 0;
                    }
                    if (!end.isBefore(horizon)) {
                        break;
                    }
                    begin = end.minusSeconds(1);
                }
                if (!batch.isEmpty()) {
                    List<JsonNode> b = List.copyOf(batch);
                    written.add(writer.submit(() -> write(c, upsert, delete, insert, b)));
                }
                for (java.util.concurrent.Future<?> f : written) {
                    f.get();
                }
            } finally {
                writer.shutdownNow();
            }
            long nanos = System.nanoTime() - t0;
            new BenchResult().put("variant", "hand-written").put("pages", calls).put("calls", calls).put("refused", refused)
                    .put("windows", windows).measured(records, nanos, heap).emit();
            heap.close();
        }
    }

    /** One transaction: the orders upserted, their old items deleted, their items inserted (jst-order-to-bi.jsonata, by hand). */
    private static Void write(Connection c, PreparedStatement upsert, PreparedStatement delete, PreparedStatement insert,
            List<JsonNode> batch) throws Exception {
        for (JsonNode o : batch) {
            long oId = o.get("o_id").asLong();
            upsert.setLong(1, oId);
            upsert.setString(2, o.path("so_id").asText(null));
            upsert.setLong(3, o.get("shop_id").asLong());
            upsert.setString(4, o.path("status").asText(null));
            setTime(upsert, 5, o.get("order_date"));
            setTime(upsert, 6, o.get("modified"));
            upsert.setBigDecimal(7, decimal(o.get("pay_amount")));
            upsert.setBigDecimal(8, decimal(o.get("freight")));
            upsert.addBatch();
            delete.setLong(1, oId);
            delete.addBatch();
            for (JsonNode it : o.get("items")) {
                insert.setLong(1, oId);
                insert.setLong(2, it.get("oi_id").asLong());
                insert.setString(3, it.path("sku_id").asText(null));
                insert.setString(4, it.path("name").asText(null));
                insert.setInt(5, it.get("qty").asInt());
                insert.setBigDecimal(6, decimal(it.get("price")));
                insert.setBigDecimal(7, decimal(it.get("amount")));
                insert.addBatch();
            }
        }
        upsert.executeBatch();
        delete.executeBatch();
        insert.executeBatch();
        c.commit();
        return null;
    }

    private static BigDecimal decimal(JsonNode v) {
        return v == null || v.isNull() ? null : v.decimalValue();
    }

    private static void setTime(PreparedStatement ps, int i, JsonNode v) throws Exception {
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            ps.setNull(i, Types.TIMESTAMP);
        } else {
            ps.setTimestamp(i, Timestamp.valueOf(LocalDateTime.parse(v.asText(), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))));
        }
    }

    /** The BI tables exactly as Ferry's migration creates them. */
    private static void createTables(Connection c) throws Exception {
        String ddl;
        try (InputStream in = HandWrittenOrdersBenchmark.class.getResourceAsStream("/db/bi/V3__bi_order.sql")) {
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ddl = ddl.replaceAll("(?m)^--.*$", "");
        try (Statement st = c.createStatement()) {
            for (String s : ddl.split(";")) {
                if (!s.isBlank()) {
                    st.execute(s);
                }
            }
        }
    }

    /**
     * Jushuitan's published limits as the client's own sliding windows: at most 5 calls in any second and 100 in any
     * minute. {@link #acquire()} returns as soon as a call is allowed: a client cannot call sooner without refusals.
     */
    static final class VendorWindows {
        private final Deque<Long> sent = new ArrayDeque<>();

        void acquire() throws InterruptedException {
            while (true) {
                long now = System.nanoTime();
                while (!sent.isEmpty() && now - sent.peekFirst() >= 60_000_000_000L) {
                    sent.pollFirst();
                }
                long wait = 0;
                if (sent.size() >= 100) {
                    wait = sent.peekFirst() + 60_000_000_000L - now;
                }
                if (sent.size() >= 5) {
                    long fifthLast = sent.stream().skip(sent.size() - 5).findFirst().orElseThrow();
                    wait = Math.max(wait, fifthLast + 1_000_000_000L - now);
                }
                if (wait <= 0) {
                    sent.addLast(now);
                    return;
                }
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }

        /** The call last acquired was refused: the vendor did not count it, so neither does the client. */
        void refused() {
            sent.pollLast();
        }
    }
}
