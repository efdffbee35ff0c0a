package io.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.ferry.sandbox.Sandbox;
import io.ferry.support.KillableFerry;
import io.ferry.support.TestDatabases;
import io.ferry.support.WindowedTargets;

/**
 * The windowed syncs (docs/time-windows.md), jst-orders-to-mysql and wdt-trades-to-mysql, as their own JVM process,
 * killed with SIGKILL in the middle of a window (ten records a page, many pages a window, several windows a run)
 * and started again until a run succeeds. After each kill the saved position has not moved past the window the
 * kill interrupted; at the end every source record is in its target exactly once in its latest version, with
 * exactly its current lines, and the saved position is the end of the last window read.
 */
class WindowedCrashSafetyTest {

    private static final int KILLS = 4;
    private static final int RECORDS = 1000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    /** One sync under test: its simulator's query log and what its targets must hold at the end. */
    private record Sync(String name, String route, int firstPage, Supplier<List<List<Object>>> asked, String recordsSql,
            String linesSql, WindowedTargets.Expected expected) {

        String offsetSql() {
            return "SELECT offset_value FROM ferry_offset WHERE sync_name = '" + name + "'";
        }
    }

    @Test
    void killedInTheMiddleOfWindowsAndRestartedEveryRecordEndsOnceWithItsCurrentLines() throws Exception {
        String url = TestDatabases.newMysqlDatabase();
        try (Sandbox sandbox = new Sandbox(RECORDS)) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            sandbox.jushuitan().rateLimit(false);
            sandbox.wangdiantong().rateLimit(false);
            // the sandbox's orders and trades replaced by ones whose every change lies in the past: the end is known
            var orders = sandbox.jushuitan().orders().generate(11, RECORDS, now.minus(Duration.ofDays(5)), now.minusSeconds(120), 0.3,
                    Duration.ofSeconds(60));
            var trades = sandbox.wangdiantong().trades().generate(12, RECORDS, now.minus(Duration.ofHours(5)), now.minusSeconds(120), 0.3,
                    Duration.ofSeconds(60));
            WindowedTargets.Expected expectedOrders = WindowedTargets.orders(orders.current(now.plusSeconds(1)));
            WindowedTargets.Expected expectedTrades = WindowedTargets.trades(trades.current(now.plusSeconds(1)));
            List<Sync> syncs = List.of(
                    new Sync("jst-orders-to-mysql", "jst-orders-to-mysql.yaml", 1, orders::asked, WindowedTargets.ORDERS_SQL,
                            WindowedTargets.ORDER_ITEMS_SQL, expectedOrders),
                    new Sync("wdt-trades-to-mysql", "wdt-trades-to-mysql.yaml", 0, trades::asked, WindowedTargets.TRADES_SQL,
                            WindowedTargets.TRADE_LINES_SQL, expectedTrades));

            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("ferry.node", "windowed-crash-test");
            // five 1-day windows of orders, five 60-minute windows of trades
            settings.put("ferry.sync.jst-orders-to-mysql.window-start", china(now.minus(Duration.ofDays(5)).minusSeconds(3600)));
            settings.put("ferry.sync.jst-orders-to-mysql.window-size", "P1D");
            settings.put("ferry.sync.wdt-trades-to-mysql.window-start", china(now.minus(Duration.ofHours(5)).minusSeconds(600)));
            settings.put("camel.component.jushuitan.requests-per-second", "0");
            settings.put("camel.component.jushuitan.requests-per-minute", "0");
            settings.put("ferry.retry.initial-delay", "50");
            KillableFerry ferry = new KillableFerry(sandbox, url, settings);
            for (Sync s : syncs) {
                // ten records a page instead of the shipped hundred: many pages in every window
                Path route = ferry.routes().resolve(s.route());
                String yaml = Files.readString(route);
                assertThat(yaml).contains("pageSize=100");
                Files.writeString(route, yaml.replace("pageSize=100", "pageSize=10"));
            }
            try {
                killAndRestart(ferry, url, syncs);
            } finally {
                System.out.println("windowed crash safety: log in " + ferry.log());
            }
        } finally {
            TestDatabases.dropMysqlDatabase(url);
        }
    }

    private static void killAndRestart(KillableFerry ferry, String url, List<Sync> syncs) throws Exception {
        Random random = new Random(17);
        Map<String, Integer> killsOf = new LinkedHashMap<>();
        syncs.forEach(s -> killsOf.put(s.name(), 0));
        java.util.Set<String> windowsKilled = new java.util.HashSet<>();
        int kills = 0;
        int starts = 0;
        while ((kills < KILLS || killsOf.containsValue(0)) && starts < 3 * KILLS) {
            starts++;
            // the syncs in a random order, so that the kills land in each of them
            List<Sync> order = new ArrayList<>(syncs);
            Collections.shuffle(order, random);
            int[] before = order.stream().mapToInt(s -> s.asked().get().size()).toArray();
            Process p = ferry.start(order.stream().map(Sync::name).toList());
            // kill it once it has asked for a random number of pages (a window is some twenty)
            int pages = 10 + random.nextInt(30);
            long deadline = System.currentTimeMillis() + 60_000;
            while (p.isAlive() && asked(order) - sum(before) < pages && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            if (!p.isAlive()) {
                continue;
            }
            KillableFerry.kill(p);
            Sync running = order.get(1).asked().get().size() > before[1] ? order.get(1) : order.get(0);
            List<Object> last = lastOf(running.asked().get());
            if (((Number) last.get(2)).intValue() == running.firstPage()) {
                continue; // between two pages of a window is what this test is about
            }
            kills++;
            windowsKilled.add(running.name() + " " + last.get(0));
            killsOf.merge(running.name(), 1, Integer::sum);
            // the window the kill interrupted is not taken as read
            List<String> saved = KillableFerry.strings(url, running.offsetSql());
            if (!saved.isEmpty()) {
                assertThat(Instant.parse(saved.get(0))).as(running.name() + ": the position after a kill in the window " + last)
                        .isBefore(parse((String) last.get(1)));
            }
        }
        assertThat(kills).as("kills in the middle of a window").isGreaterThanOrEqualTo(KILLS);
        assertThat(killsOf).as("kills per sync").doesNotContainValue(0);
        // the position moved between kills: they interrupted different windows
        assertThat(windowsKilled).as("windows the kills interrupted").hasSizeGreaterThanOrEqualTo(3);

        int runs = 0;
        int rc;
        do {
            Process p = ferry.start(syncs.stream().map(Sync::name).toList());
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("a run ends").isTrue();
            rc = p.exitValue();
            runs++;
        } while (rc != 0 && runs < 3);
        assertThat(rc).as("the runs after the kills succeed within 3 starts").isZero();

        for (Sync s : syncs) {
            assertThat(KillableFerry.strings(url, s.recordsSql())).as(s.name()).hasSize(s.expected().records().size())
                    .containsExactlyInAnyOrderElementsOf(s.expected().records());
            assertThat(KillableFerry.strings(url, s.linesSql())).as(s.name()).containsExactlyInAnyOrderElementsOf(s.expected().lines());
            // the position is the end of the last window the last run read
            assertThat(Instant.parse(KillableFerry.strings(url, s.offsetSql()).get(0))).as(s.name())
                    .isEqualTo(parse((String) lastOf(s.asked().get()).get(1)));
            assertThat(KillableFerry.count(url, "SELECT COUNT(*) FROM ferry_synced_key WHERE sync_name = '" + s.name() + "'"))
                    .as(s.name()).isEqualTo(s.expected().records().size());
            assertThat(KillableFerry.count(url, "SELECT COUNT(*) FROM ferry_run WHERE status = 'abandoned' AND sync_name = '"
                    + s.name() + "'")).as(s.name()).isGreaterThanOrEqualTo(killsOf.get(s.name()));
        }
        assertThat(KillableFerry.count(url, "SELECT COUNT(*) FROM ferry_dead_letter")).isZero();
        assertThat(KillableFerry.count(url, "SELECT COUNT(*) FROM ferry_run WHERE status = 'running'")).isZero();
        System.out.printf("windowed crash safety: %d kills mid-window %s in %d starts, then %d run(s); %d order and %d trade queries%n",
                kills, killsOf, starts, runs, syncs.get(0).asked().get().size(), syncs.get(1).asked().get().size());
    }

    private static int asked(List<Sync> syncs) {
        return syncs.stream().mapToInt(s -> s.asked().get().size()).sum();
    }

    private static int sum(int[] values) {
        int n = 0;
        for (int v : values) {
            n += v;
        }
        return n;
    }

    private static List<Object> lastOf(List<List<Object>> asked) {
        return asked.get(asked.size() - 1);
    }

    private static Instant parse(String chinaTime) {
        return LocalDateTime.parse(chinaTime, TIME).atZone(CHINA).toInstant();
    }

    private static String china(Instant t) {
        return t.atOffset(ZoneOffset.ofHours(8)).toString();
    }
}
