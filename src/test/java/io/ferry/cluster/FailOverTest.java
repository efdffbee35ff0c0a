package io.ferry.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

import io.ferry.sandbox.Faults;
import io.ferry.sandbox.JushuitanOrders;
import io.ferry.sandbox.Sandbox;
import io.ferry.sandbox.SimulatorServer;
import io.ferry.sandbox.WangdiantongTrades;
import io.ferry.support.ClusterSettings;
import io.ferry.support.KillableFerry;
import io.ferry.support.Reconciled;
import io.ferry.support.TestDatabases;
import io.ferry.support.WindowedTargets;

/**
 * Three Ferry JVMs ({@code ferry run}) under one in-process ZooKeeper and one MariaDB state database, running all seven
 * shipped syncs against the sandbox, whose simulators fail a few calls (HTTP 500, dropped connections, slow and lost
 * answers, rate-limit refusals). The leader of each sync in turn is killed with SIGKILL in the middle of a run:
 * another replica takes the sync over within 15 s, the killed run is closed as abandoned, and the new run resumes from
 * the saved state. At the end every target holds every record exactly once, in its source's content (read back by
 * {@code ferry reconcile}), the orders and trades with exactly their lines.
 */
class FailOverTest {

    private static final int RECORDS = 1200;
    /** more than jst-shops-to-mysql's mark-every (500): a run of that many is caught between two of its marks */
    private static final int MORE = 1000;
    private static final long HAND_OVER_LIMIT_MS = 15_000;

    /**
     * A sync under test: how many records its source holds now (its synced keys at the end), and how to give its
     * source more when its runs have caught up before its turn to be killed (null: it cannot, its first run must be
     * caught). In the order of the kills: the syncs whose source cannot grow first, while their first run goes on.
     */
    private record Sync(String name, LongSupplier records, Runnable more) {
    }

    @Test
    void theLeaderOfEachSyncKilledMidRunIsReplacedWithin15SecondsAndEveryTargetEndsExact() throws Exception {
        String url = TestDatabases.newMysqlDatabase();
        List<Process> processes = new ArrayList<>();
        try (TestingServer zk = new TestingServer(true); Sandbox sandbox = new Sandbox(RECORDS)) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            // orders and trades whose every change lies in the past, and customers of Kingdee's own: each end is known
            JushuitanOrders orders = sandbox.jushuitan().orders().generate(11, RECORDS, now.minus(Duration.ofDays(5)),
                    now.minusSeconds(120), 0.3, Duration.ofSeconds(60));
            WangdiantongTrades trades = sandbox.wangdiantong().trades().generate(12, RECORDS, now.minus(Duration.ofHours(5)),
                    now.minusSeconds(120), 0.3, Duration.ofSeconds(60));
            sandbox.seedKingdeeCustomers();
            int kingdeeOwn = RECORDS;
            // transport faults on every simulator, the kills on top: answers lost after the vendor acted among them
            long seed = 17;
            for (SimulatorServer server : sandbox.servers()) {
                server.setFaults(new Faults(seed++, 0.02, 0.01, 0.01, 200, 0, 0, 0.01, 0, 0.01));
            }
            AtomicLong jstShops = new AtomicLong(RECORDS);
            AtomicLong wdtShops = new AtomicLong(RECORDS);
            AtomicLong kingdeeAdded = new AtomicLong();
            // more records arrive modified within the last minute: past the lag, inside every windowed sync's lookback
            Supplier<Instant> aMinuteAgo = () -> Instant.now().minusSeconds(60);
            Supplier<Instant> tenSecondsAgo = () -> Instant.now().minusSeconds(10);
            List<Sync> syncs = List.of(
                    new Sync("jsonapi-orders-to-mysql", () -> sandbox.jsonApi().count(), null),
                    new Sync("jst-orders-to-mysql", () -> orders.current(Instant.now()).size(),
                            () -> orders.append(21, MORE, aMinuteAgo.get(), tenSecondsAgo.get())),
                    new Sync("wdt-trades-to-mysql", () -> trades.current(Instant.now()).size(),
                            () -> trades.append(22, MORE, aMinuteAgo.get(), tenSecondsAgo.get())),
                    new Sync("kingdee-customers-to-mysql", () -> sandbox.kingdee().customers().size(), () -> {
                        sandbox.addKingdeeCustomers(23, MORE, aMinuteAgo.get(), tenSecondsAgo.get());
                        kingdeeAdded.addAndGet(MORE);
                    }),
                    new Sync("jellyfish-a-to-b", () -> sandbox.jellyFishSource().count(), () -> sandbox.jellyFishSource().append(MORE)),
                    new Sync("jst-shops-to-mysql", jstShops::get, () -> {
                        sandbox.jushuitan().addShops(MORE);
                        jstShops.addAndGet(MORE);
                    }),
                    new Sync("wdt-shops-to-kingdee-customers", wdtShops::get, () -> {
                        sandbox.wangdiantong().addShops(MORE);
                        wdtShops.addAndGet(MORE);
                    }));
            try (var files = Files.list(Path.of("routes"))) {
                assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml") && !n.startsWith("ferry-"))
                        .map(n -> n.replace(".yaml", ""))).as("every shipped sync is under test")
                        .containsExactlyInAnyOrderElementsOf(syncs.stream().map(Sync::name).toList());
            }

            Map<String, String> syncSettings = new LinkedHashMap<>(sandbox.properties());
            syncSettings.putAll(TestDatabases.mysqlSettings("ferry.state", url));
            syncSettings.put("ferry.management.enabled", "false");
            syncSettings.put("ferry.console.enabled", "false");
            // five 1-day windows of orders, five 60-minute windows of trades
            syncSettings.put("ferry.sync.jst-orders-to-mysql.window-start", china(now.minus(Duration.ofDays(5)).minusSeconds(3600)));
            syncSettings.put("ferry.sync.jst-orders-to-mysql.window-size", "P1D");
            syncSettings.put("ferry.sync.wdt-trades-to-mysql.window-start", china(now.minus(Duration.ofHours(5)).minusSeconds(600)));
            List<KillableFerry> replicas = new ArrayList<>();
            Map<String, Integer> index = new LinkedHashMap<>();
            for (int i = 1; i <= 3; i++) {
                String node = "replica-" + i;
                Map<String, String> settings = new LinkedHashMap<>(syncSettings);
                settings.putAll(ClusterSettings.zookeeper(node, zk.getConnectString()));
                // as the deployments run: one budget per vendor key across the replicas. Alone, a leader that takes a
                // sync over meets the vendor's window still full of the dead leader's calls, and learns a false limit
                settings.put("ferry.budgets.shared", "true");
                // the sandbox answers within a second: a killed replica's calls in flight stop counting after 10 s
                settings.put("ferry.budgets.in-flight-timeout", "10000");
                settings.put("ferry.run.heartbeat-interval", "PT1S");
                settings.put("ferry.run.heartbeat-timeout", "PT3S");
                settings.put("ferry.sync.jellyfish-a-to-b.delay", "10");
                settings.put("ferry.retry.initial-delay", "50");
                // runs of many pages, so that each kill can fall in the middle of one: jsonapi-orders-to-mysql's
                // source cannot grow, its first run (120 pages at 5 a second) is the one caught
                settings.put("ferry.sync.jsonapi-orders-to-mysql.page-size", "10");
                settings.put("ferry.sync.jsonapi-orders-to-mysql.requests-per-second", "5");
                settings.put("ferry.sync.kingdee-customers-to-mysql.page-size", "20");
                settings.put("ferry.sync.kingdee-customers-to-mysql.batch-size", "20");
                for (Sync sync : syncs) {
                    settings.put("ferry.sync." + sync.name() + ".cron", "0/2 * * * * ?");
                }
                KillableFerry replica = new KillableFerry(sandbox, url, settings);
                for (String route : List.of("jst-orders-to-mysql.yaml", "wdt-trades-to-mysql.yaml")) {
                    Path file = replica.routes().resolve(route);
                    String yaml = Files.readString(file);
                    assertThat(yaml).contains("pageSize=100");
                    Files.writeString(file, yaml.replace("pageSize=100", "pageSize=20"));
                }
                replicas.add(replica);
                index.put(node, i - 1);
                processes.add(replica.startCommand(List.of("run")));
            }

            List<String> handOvers = new ArrayList<>();
            for (Sync sync : syncs) {
                Run killed = runMidWay(url, sync);
                int victim = index.get(killed.node());
                long t0 = System.nanoTime();
                KillableFerry.kill(processes.get(victim));
                Run next = null;
                while (next == null && System.nanoTime() - t0 < 60_000_000_000L) {
                    next = nextRun(url, sync.name(), killed.id());
                    Thread.sleep(20);
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(next).as(sync.name() + ": another replica ran it after its leader " + killed.node() + " was killed; logs in "
                        + replicas.get(victim).log().getParent().getParent()).isNotNull();
                assertThat(next.node()).isNotEqualTo(killed.node());
                handOvers.add(String.format("%s: %s killed during run %d, %s started run %d %d ms later", sync.name(), killed.node(),
                        killed.id(), next.node(), next.id(), ms));
                assertThat(ms).as(sync.name() + " hand-over").isLessThan(HAND_OVER_LIMIT_MS);
                assertThat(KillableFerry.strings(url, "SELECT status FROM ferry_run WHERE id = " + killed.id()))
                        .as("the killed run is closed by the run that took over").containsExactly("abandoned");
                // the replica comes back, as its orchestrator would start it again, and follows
                processes.set(victim, replicas.get(victim).startCommand(List.of("run")));
            }

            long deadline = System.currentTimeMillis() + 150_000;
            LongSupplier missing = () -> syncs.stream().mapToLong(s -> Math.max(0, s.records().getAsLong() - synced(url, s.name()))).sum();
            while (missing.getAsLong() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            handOvers.forEach(h -> System.out.println("fail-over: " + h));
            for (Process p : processes) {
                p.destroy(); // SIGTERM: Camel's graceful stop
            }
            for (Process p : processes) {
                p.waitFor(60, TimeUnit.SECONDS);
            }

            for (Sync s : syncs) {
                assertThat(synced(url, s.name())).as(s.name() + " synced keys").isEqualTo(s.records().getAsLong());
            }
            assertThat(KillableFerry.count(url, "SELECT COUNT(*) FROM ferry_dead_letter")).isZero();
            // a replica whose graceful stop ran out of time (a run waiting out a fault) leaves that run's row 'running'
            // with its heartbeat stopped, for the next start of the sync on any replica to close as abandoned; no run
            // may still be beating
            Thread.sleep(4_000);
            assertThat(KillableFerry.count(url, "SELECT COUNT(*) FROM ferry_run WHERE status = 'running' AND (heartbeat_at IS NULL "
                    + "OR heartbeat_at > NOW(3) - INTERVAL 3 SECOND)")).isZero();
            assertThat(KillableFerry.count(url, "SELECT COUNT(*) FROM ferry_run WHERE status = 'abandoned'")).isGreaterThanOrEqualTo(syncs.size());
            System.out.printf("fail-over: Kingdee saved %d customers in %d BatchSave calls; JellyFish B was sent %d record(s) again; "
                    + "faults injected: Jushuitan %d, Wangdiantong %d, Kingdee %d, JSON API %d, JellyFish A %d, B %d%n",
                    sandbox.kingdee().customersSaved(), sandbox.kingdee().batchSaveCalls(), sandbox.jellyFishTarget().duplicates().size(),
                    sandbox.jushuitan().faultsInjected(), sandbox.wangdiantong().faultsInjected(), sandbox.kingdee().faultsInjected(),
                    sandbox.jsonApi().faultsInjected(), sandbox.jellyFishSource().faultsInjected(), sandbox.jellyFishTarget().faultsInjected());
            assertThat(sandbox.jushuitan().faultsInjected() + sandbox.kingdee().faultsInjected()).isPositive();

            // every target read back and compared with its source, the simulators now answering every call
            for (SimulatorServer server : sandbox.servers()) {
                server.setFaults(Faults.NONE);
            }
            sandbox.jushuitan().rateLimit(false);
            sandbox.wangdiantong().rateLimit(false);
            for (Sync s : syncs) {
                if (s.name().equals("jellyfish-a-to-b")) {
                    continue; // B cannot be read back: below
                }
                Reconciled r = Reconciled.of(s.name(), null, syncSettings);
                // Kingdee also holds the customers it had of its own, which wdt-shops-to-kingdee-customers did not send
                int extra = s.name().equals("wdt-shops-to-kingdee-customers") ? kingdeeOwn + (int) kingdeeAdded.get() : 0;
                assertThat(r.count("missing") + r.count("different")).as(s.name() + ": " + r).isZero();
                assertThat(r.count("extra")).as(s.name() + ": " + r).isEqualTo(extra);
                // (a windowed source's count may hold a record twice: read at the shared bound of two windows)
                assertThat((long) r.targetRows()).as(s.name() + " target rows").isEqualTo(s.records().getAsLong() + extra);
            }
            WindowedTargets.Expected expectedOrders = WindowedTargets.orders(orders.current(Instant.now()));
            assertThat(KillableFerry.strings(url, WindowedTargets.ORDERS_SQL)).containsExactlyInAnyOrderElementsOf(expectedOrders.records());
            assertThat(KillableFerry.strings(url, WindowedTargets.ORDER_ITEMS_SQL)).containsExactlyInAnyOrderElementsOf(expectedOrders.lines());
            WindowedTargets.Expected expectedTrades = WindowedTargets.trades(trades.current(Instant.now()));
            assertThat(KillableFerry.strings(url, WindowedTargets.TRADES_SQL)).containsExactlyInAnyOrderElementsOf(expectedTrades.records());
            assertThat(KillableFerry.strings(url, WindowedTargets.TRADE_LINES_SQL)).containsExactlyInAnyOrderElementsOf(expectedTrades.lines());
            // Kingdee: one customer per shop, none saved twice under two ids
            assertThat(sandbox.kingdee().customers()).hasSize((int) (wdtShops.get() + kingdeeOwn + kingdeeAdded.get()));
            assertThat(sandbox.jellyFishTarget().acceptedIds()).hasSize((int) sandbox.jellyFishSource().count()).doesNotHaveDuplicates();
        } finally {
            for (Process p : processes) {
                p.destroyForcibly();
            }
            TestDatabases.dropMysqlDatabase(url);
        }
    }

    private static long synced(String url, String sync) {
        return KillableFerry.countQuietly(url, "SELECT COUNT(*) FROM ferry_synced_key WHERE sync_name = '" + sync + "'");
    }

    private static String china(Instant t) {
        return t.atOffset(ZoneOffset.ofHours(8)).toString();
    }

    record Run(long id, String node) {
    }

    /**
     * The sync's run going on that has delivered part of its records; when the sync has delivered all there is, its
     * source gets more records so that a run is caught in its middle.
     */
    private static Run runMidWay(String url, Sync sync) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            List<String> running = quietly(url, "SELECT CONCAT(id, ' ', node) FROM ferry_run WHERE sync_name = '" + sync.name()
                    + "' AND status = 'running' AND kind = 'sync' ORDER BY id DESC LIMIT 1");
            long synced = synced(url, sync.name());
            if (!running.isEmpty()) {
                String[] r = running.get(0).split(" ");
                long marked = KillableFerry.countQuietly(url, "SELECT COUNT(*) FROM ferry_synced_key WHERE run_id = " + r[0]);
                if (marked > 0 && synced < sync.records().getAsLong()) {
                    return new Run(Long.parseLong(r[0]), r[1]);
                }
            } else if (synced >= sync.records().getAsLong()) {
                if (sync.more() == null) {
                    throw new AssertionError(sync.name() + ": delivered all its " + synced + " records before a run of it was caught in "
                            + "its middle, and its source cannot grow: its first run must last longer");
                }
                sync.more().run();
            }
            Thread.sleep(10);
        }
        throw new AssertionError(sync.name() + ": no run was caught in its middle within 90 s");
    }

    /** The rows, or none while the replicas have not made the tables yet. */
    private static List<String> quietly(String url, String sql) {
        try {
            return KillableFerry.strings(url, sql);
        } catch (Exception e) {
            return List.of();
        }
    }

    /** A run of the sync after {@code after}, on whichever replica, or null. */
    private static Run nextRun(String url, String sync, long after) throws Exception {
        List<String> r = quietly(url, "SELECT CONCAT(id, ' ', node) FROM ferry_run WHERE sync_name = '" + sync
                + "' AND kind = 'sync' AND id > " + after + " ORDER BY id LIMIT 1");
        if (r.isEmpty()) {
            return null;
        }
        String[] p = r.get(0).split(" ");
        return new Run(Long.parseLong(p[0]), p[1]);
    }
}
