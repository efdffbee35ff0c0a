package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ferry.kernel.ConfigurationException;
import io.ferry.sandbox.JushuitanOrders;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * routes/jst-orders-to-mysql.yaml end to end against the Jushuitan simulator's orders (changing over time, visible
 * after a replica lag) on MariaDB: windows read in order, bounds, lookback, lag, a change during paging, resume.
 */
class JstOrdersToMysqlTest {

    private static final String SYNC = "jst-orders-to-mysql";

    /** A harness whose orders span ten days before now (two 7-day windows), with a window start fixed by the test. */
    private static FerryHarness harness(int orders, Instant windowStart) {
        FerryHarness f = new FerryHarness(Db.MARIADB, orders).withUser("watcher", "viewer", "watcher-pass-1");
        f.sandbox().jushuitan().rateLimit(false);
        return f.with("ferry.sync.jst-orders-to-mysql.window-start", windowStart.toString())
                .with("ferry.sync.jst-orders-to-mysql.lag", "PT3S");
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private static long itemsOf(List<Map<String, Object>> orders) {
        return orders.stream().mapToLong(o -> ((List<?>) o.get("items")).size()).sum();
    }

    @Test
    void readsWindowAfterWindowAndASecondRunWritesNothing() throws Exception {
        Instant start = now().minus(Duration.ofDays(10));
        try (FerryHarness f = harness(400, start).start()) {
            JushuitanOrders orders = f.sandbox().jushuitan().orders();
            RunRecord first = f.runSync(SYNC);
            List<Map<String, Object>> visible = orders.current(Instant.now().minusSeconds(3));
            assertThat(first.status()).as(first.error()).isEqualTo("succeeded");
            assertThat(first.written()).isEqualTo(visible.size());
            assertThat(f.count("SELECT COUNT(*) FROM bi_order")).isEqualTo(visible.size());
            assertThat(f.count("SELECT COUNT(*) FROM bi_order_item")).isEqualTo(itemsOf(visible));
            // windows in order, each asked from one second before the previous one's end, never more than 7 days
            List<List<Object>> asked = orders.asked();
            assertThat(asked.get(0).get(0)).isEqualTo(fmt(start.minus(Duration.ofMinutes(10)).minusSeconds(1)));
            String previousEnd = null;
            for (List<Object> a : asked) {
                Instant b = parse((String) a.get(0));
                Instant e = parse((String) a.get(1));
                assertThat(Duration.between(b, e)).isLessThanOrEqualTo(Duration.ofDays(7));
                assertThat(e).isBefore(Instant.now().minusSeconds(3));
                if ((Integer) a.get(2) == 1 && previousEnd != null) {
                    assertThat(b).isEqualTo(parse(previousEnd).minusSeconds(1));
                }
                previousEnd = (String) a.get(1);
            }
            assertThat(asked.stream().filter(a -> (Integer) a.get(2) == 1).count()).isEqualTo(2);
            String saved = f.state().offsets().find(SYNC);
            assertThat(Instant.parse(saved)).isEqualTo(parse(previousEnd));
            Object jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(io.ferry.observe.SyncMBeans.name(SYNC), "WindowPosition");
            assertThat(jmx).isEqualTo(saved);
            java.io.ByteArrayOutputStream status = new java.io.ByteArrayOutputStream();
            io.ferry.cli.StatusCommand.status(List.of(SYNC), new java.io.PrintStream(status, true, java.nio.charset.StandardCharsets.UTF_8),
                    f.properties());
            assertThat(status.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("windows read up to "
                    + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneId.systemDefault())
                            .format(Instant.parse(saved)));
            // and the console's sync table (what its script shows, from the API), in its own column
            assertThat(io.ferry.support.ConsoleLogin.logIn(f, "watcher", "watcher-pass-1").get("/api/v1/syncs/" + SYNC).json()
                    .path("position").asText()).isEqualTo(saved);

            Thread.sleep(2_000); // a run within the same second as the last has nothing to ask for
            RunRecord second = f.runSync(SYNC);
            assertThat(second.status()).isEqualTo("succeeded");
            assertThat(second.written()).isZero();
            // the second run starts 10 minutes (the lookback) and a second before the saved position
            List<List<Object>> again = orders.asked().subList(asked.size(), orders.asked().size());
            assertThat(again).isNotEmpty();
            assertThat(parse((String) again.get(0).get(0))).isEqualTo(Instant.parse(saved).minus(Duration.ofMinutes(10)).minusSeconds(1));
        }
    }

    @Test
    void anOrderChangedThreeTimesBetweenRunsEndsWithItsLatestVersionAndItsItemsOnce() throws Exception {
        Instant start = now().minus(Duration.ofDays(10)).minusSeconds(3600);
        try (FerryHarness f = harness(120, start).start()) {
            JushuitanOrders orders = f.sandbox().jushuitan().orders();
            f.sandbox().jushuitan().orders().replicaLag(Duration.ofSeconds(1));
            assertThat(f.runSync(SYNC).status()).isEqualTo("succeeded");
            long oId = 10_000_005L;
            Instant t = now();
            orders.modify(oId, t.minusSeconds(2));
            orders.modify(oId, t.minusSeconds(1));
            Map<String, Object> latest = orders.modify(oId, t);
            Thread.sleep(4_500); // past the sync's lag (3 s) and the replica lag (1 s)
            RunRecord second = f.runSync(SYNC);
            assertThat(second.status()).as(second.error()).isEqualTo("succeeded");
            assertThat(second.written()).isEqualTo(1);
            assertThat((String) f.sql().queryOne("SELECT status FROM bi_order WHERE o_id = ?", rs -> rs.getString(1), oId))
                    .isEqualTo(latest.get("status"));
            List<String> stored = f.sql().query("SELECT oi_id, qty FROM bi_order_item WHERE o_id = ? ORDER BY oi_id",
                    rs -> rs.getLong(1) + ":" + rs.getInt(2), oId);
            List<String> expected = new ArrayList<>();
            for (Object o : (List<?>) latest.get("items")) {
                Map<?, ?> it = (Map<?, ?>) o;
                expected.add(it.get("oi_id") + ":" + it.get("qty"));
            }
            assertThat(stored).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(f.count("SELECT COUNT(*) FROM bi_order_item")).isEqualTo(itemsOf(orders.current(Instant.now())));
        }
    }

    @Test
    void aChangeYoungerThanTheLagIsLeftToTheNextRun() throws Exception {
        Instant start = now().minus(Duration.ofDays(10)).minusSeconds(3600);
        try (FerryHarness f = harness(60, start).start()) {
            JushuitanOrders orders = f.sandbox().jushuitan().orders();
            assertThat(f.runSync(SYNC).status()).isEqualTo("succeeded");
            Thread.sleep(1_100);
            orders.modify(10_000_007L, now());
            RunRecord early = f.runSync(SYNC);
            assertThat(early.written()).isZero(); // now - 3 s lies before the change: not asked for yet
            Thread.sleep(3_500);
            RunRecord later = f.runSync(SYNC);
            assertThat(later.written()).isEqualTo(1);
        }
    }

    @Test
    void theLookbackReadsAChangeThatBecameVisibleAfterTheRunThatCoveredItsTime() throws Exception {
        Instant start = now().minus(Duration.ofDays(10)).minusSeconds(3600);
        // the sync's lag (1 s) is shorter than the vendor's replica lag (4 s): the mistake DataX users meet as 漏数据
        try (FerryHarness f = harness(60, start).with("ferry.sync.jst-orders-to-mysql.lag", "PT1S").start()) {
            JushuitanOrders orders = f.sandbox().jushuitan().orders().replicaLag(Duration.ofSeconds(4));
            orders.modify(10_000_009L, now().minusSeconds(2));
            RunRecord first = f.runSync(SYNC);
            assertThat(first.status()).isEqualTo("succeeded");
            String status = orders.latest(10_000_009L).get("status").toString();
            assertThat((String) f.sql().queryOne("SELECT status FROM bi_order WHERE o_id = ?", rs -> rs.getString(1), 10_000_009L))
                    .isNotEqualTo(status); // its time was read while the change was not visible yet
            assertThat(Instant.parse(f.state().offsets().find(SYNC))).isAfter(now().minusSeconds(4));
            Thread.sleep(4_500);
            RunRecord second = f.runSync(SYNC);
            assertThat(second.written()).isEqualTo(1);
            assertThat((String) f.sql().queryOne("SELECT status FROM bi_order WHERE o_id = ?", rs -> rs.getString(1), 10_000_009L))
                    .isEqualTo(status);
        }
    }

    @Test
    void anOrderModifiedExactlyAtAWindowBoundIsDelivered() throws Exception {
        Instant start = now().minus(Duration.ofDays(10));
        try (FerryHarness f = harness(50, start)) {
            JushuitanOrders orders = f.sandbox().jushuitan().orders();
            // the first window asks [start - lookback - 1 s, that + 7 days]; the second from a second before its end
            Instant firstBegin = start.minus(Duration.ofMinutes(10)).minusSeconds(1);
            Instant firstEnd = firstBegin.plus(Duration.ofDays(7));
            orders.modify(10_000_001L, firstBegin);
            orders.modify(10_000_002L, firstEnd);
            orders.modify(10_000_003L, firstEnd.minusSeconds(1));
            f.start();
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("succeeded");
            for (long oId : new long[] { 10_000_001L, 10_000_002L, 10_000_003L }) {
                assertThat((String) f.sql().queryOne("SELECT modified FROM bi_order WHERE o_id = ?", rs -> rs.getTimestamp(1).toString(), oId))
                        .startsWith(((String) orders.latest(oId).get("modified")));
            }
            // read in both windows (the bounds overlap), written once
            assertThat(run.written()).isEqualTo(orders.current(Instant.now()).size());
        }
    }

    @Test
    void aChangeWhileAWindowIsPagedLosesNoOrder() throws Exception {
        Instant start = now().minus(Duration.ofDays(10)).minusSeconds(3600);
        try (FerryHarness f = harness(250, start).start()) {
            JushuitanOrders orders = f.sandbox().jushuitan().orders();
            List<Map<String, Object>> before = orders.current(Instant.now());
            before.sort(java.util.Comparator.comparing((Map<String, Object> m) -> (String) m.get("modified"))
                    .thenComparing(m -> ((Number) m.get("o_id")).longValue()));
            long firstOnPage1 = ((Number) before.get(0).get("o_id")).longValue();
            // just before page 2 is asked, the first order of page 1 changes: it leaves the window, and page 2 of the
            // live data begins one order later than it did when page 1 was read
            orders.beforeQuery(2, () -> orders.modify(firstOnPage1, Instant.now()));
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).as(run.error()).isEqualTo("succeeded");
            assertThat(f.count("SELECT COUNT(*) FROM bi_order")).isEqualTo(before.size());
            // the window was read again from its first page, because its count moved while it was paged
            assertThat(orders.asked().stream().filter(a -> (Integer) a.get(2) == 1).count()).isEqualTo(2);
            assertThat(run.written()).isEqualTo(before.size());

            Thread.sleep(3_500);
            RunRecord next = f.runSync(SYNC);
            assertThat(next.written()).isEqualTo(1); // the changed order, by the next run
            assertThat((String) f.sql().queryOne("SELECT status FROM bi_order WHERE o_id = ?", rs -> rs.getString(1), firstOnPage1))
                    .isEqualTo(orders.latest(firstOnPage1).get("status"));
        }
    }

    @Test
    void aRunStoppedMidWindowResumesAtThatWindow() throws Exception {
        Instant start = now().minus(Duration.ofDays(10));
        try (FerryHarness f = harness(500, start).start()) {
            JushuitanOrders orders = f.sandbox().jushuitan().orders();
            List<Map<String, Object>> all = orders.current(Instant.now());
            Instant firstEnd = start.minus(Duration.ofMinutes(10)).minusSeconds(1).plus(Duration.ofDays(7));
            long inFirst = all.stream().filter(o -> !parse((String) o.get("modified")).isAfter(firstEnd)).count();
            int firstWindowPages = (int) ((inFirst + 99) / 100);
            // page 2 of the second window keeps failing: the run fails there
            orders.failQueries(firstWindowPages + 2, 100);
            RunRecord failed = f.runSync(SYNC);
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(Instant.parse(f.state().offsets().find(SYNC))).isEqualTo(firstEnd);
            long firstRun = f.count("SELECT COUNT(*) FROM bi_order");
            assertThat(firstRun).isGreaterThanOrEqualTo(inFirst);

            orders.failQueries(0, 0);
            int askedBefore = orders.asked().size();
            RunRecord resumed = f.runSync(SYNC);
            assertThat(resumed.status()).as(resumed.error()).isEqualTo("succeeded");
            // it begins at the window the failed run stopped in, from its first page (less the lookback and a second)
            List<Object> firstAsked = orders.asked().get(askedBefore);
            assertThat(parse((String) firstAsked.get(0))).isEqualTo(firstEnd.minus(Duration.ofMinutes(10)).minusSeconds(1));
            assertThat(firstAsked.get(2)).isEqualTo(1);
            assertThat(resumed.written()).isEqualTo(all.size() - firstRun);
            assertThat(f.count("SELECT COUNT(*) FROM bi_order")).isEqualTo(all.size());
            assertThat(f.count("SELECT COUNT(*) FROM bi_order_item")).isEqualTo(itemsOf(all));
        }
    }

    @Test
    void backfillMovesThePositionBackAndTheNextRunReadsFromThereWritingOnlyWhatChanged() throws Exception {
        Instant start = now().minus(Duration.ofDays(10)).minusSeconds(3600);
        try (FerryHarness f = harness(300, start).start()) {
            JushuitanOrders orders = f.sandbox().jushuitan().orders();
            assertThat(f.runSync(SYNC).status()).isEqualTo("succeeded");
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            Instant from = now().minus(Duration.ofDays(4));
            int rc = io.ferry.cli.BackfillCommand.backfill(SYNC, from.atOffset(java.time.ZoneOffset.ofHours(8)).toString(), f.properties(),
                    new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(rc).isZero();
            assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).contains(SYNC + ": the next run reads from " + from);
            assertThat(f.state().offsets().find(SYNC)).isEqualTo(from.toString());
            int asked = orders.asked().size();
            RunRecord again = f.runSync(SYNC);
            assertThat(again.status()).isEqualTo("succeeded");
            assertThat(parse((String) orders.asked().get(asked).get(0))).isEqualTo(from.minus(Duration.ofMinutes(10)).minusSeconds(1));
            long since = orders.current(Instant.now()).stream()
                    .filter(o -> !parse((String) o.get("modified")).isBefore(from.minus(Duration.ofMinutes(10)).minusSeconds(1))).count();
            assertThat(again.read()).isGreaterThanOrEqualTo((int) since);
            assertThat(again.written()).isZero();
            assertThat(again.skipped()).isEqualTo(again.read());
        }
    }

    @Test
    void aWindowLargerThanTheApiAllowsIsRefusedAtStart() {
        try (FerryHarness f = harness(1, now()).with("ferry.sync.jst-orders-to-mysql.window-size", "P8D")) {
            assertThatThrownBy(f::start).isInstanceOf(ConfigurationException.class).satisfies(e -> assertThat(e.getMessage())
                    .contains("route 'jst-orders-to-mysql' (a templatedRoute)").contains("windowSize=PT192H (8 days)").contains("7 days (PT168H)"));
            assertThat(f.sandbox().jushuitan().orders().queries()).isZero();
        }
    }

    private static String fmt(Instant t) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneId.of("Asia/Shanghai"))
                .format(t);
    }

    private static Instant parse(String s) {
        return java.time.LocalDateTime.parse(s, java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                .atZone(java.time.ZoneId.of("Asia/Shanghai")).toInstant();
    }
}
