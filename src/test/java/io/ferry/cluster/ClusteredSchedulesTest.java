package io.ferry.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import javax.management.ObjectName;

import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

import io.ferry.FerryApp;
import io.ferry.cli.StatusCommand;
import io.ferry.cluster.SyncLeadership;
import io.ferry.cluster.SyncLeadership.Role;
import io.ferry.sandbox.Sandbox;
import io.ferry.state.Sql;
import io.ferry.support.ClusterSettings;
import io.ferry.support.FerryHarness;
import io.ferry.support.TestDatabases;

/**
 * Two Ferry replicas in one JVM under a ZooKeeper cluster service (Curator's in-process TestingServer), as
 * deploy/compose/cluster.properties declares it: each sync's schedule route runs on the leader of its namespace only, the
 * leadership is shown by the health checks, JMX and {@code ferry status}, and the follower takes every sync over
 * when the leader stops.
 */
class ClusteredSchedulesTest {

    private static final String FAILING = "jst-shops-to-mysql";

    @Test
    void eachSyncIsLedByOneReplicaShownEverywhereAndTakenOverWhenTheLeaderStops() throws Exception {
        String url = TestDatabases.newMysqlDatabase();
        try (TestingServer zk = new TestingServer(true); Sandbox sandbox = new Sandbox(50)) {
            Map<String, String> base = new HashMap<>(sandbox.properties());
            base.putAll(TestDatabases.mysqlSettings("ferry.state", url));
            base.put("ferry.bi.url", "");
            base.put("ferry.console.enabled", "false");
            // the schedules are on, but no tick falls within the test
            for (String sync : List.of("jellyfish-a-to-b", "jsonapi-orders-to-mysql", "jst-orders-to-mysql", "jst-shops-to-mysql",
                    "kingdee-customers-to-mysql", "wdt-shops-to-kingdee-customers", "wdt-trades-to-mysql")) {
                base.put("ferry.sync." + sync + ".cron", "0 0 0 1 1 ? 2099");
            }
            // the leads stay where they fall: the spreading is the next test's
            base.put("ferry.cluster.rebalance-interval", "0");
            Map<String, String> a = new HashMap<>(base);
            a.putAll(ClusterSettings.zookeeper("replica-a", zk.getConnectString()));
            a.put("ferry.management.port", String.valueOf(FerryHarness.freePort()));
            Map<String, String> b = new HashMap<>(base);
            b.putAll(ClusterSettings.zookeeper("replica-b", zk.getConnectString()));
            b.put("ferry.management.enabled", "false");
            b.put("ferry.jmx.enabled", "false");
            b.put("camel.main.jmx-enabled", "false");

            FerryApp first = new FerryApp(a).start();
            boolean firstClosed = false;
            try (FerryApp second = new FerryApp(b).start()) {
                List<String> syncs = first.syncs().names();
                assertThat(syncs).hasSize(7);
                SyncLeadership la = SyncLeadership.of(first.camel());
                SyncLeadership lb = SyncLeadership.of(second.camel());
                // the first replica up takes every namespace; the second waits behind it
                await(() -> syncs.stream().allMatch(s -> la.role(s) == Role.LEADS), "replica-a leads every sync");
                for (String s : syncs) {
                    assertThat(la.namespace(s)).isEqualTo("ferry-" + s);
                    assertThat(lb.role(s)).as(s).isEqualTo(Role.FOLLOWS);
                    assertThat(first.camel().getRouteController().getRouteStatus(s + "-schedule")).as(s).isEqualTo(ServiceStatus.Started);
                    assertThat(second.camel().getRouteController().getRouteStatus(s + "-schedule")).as(s).isEqualTo(ServiceStatus.Stopped);
                    assertThat(la.leader(s)).contains("replica-a");
                    assertThat(lb.leader(s)).as("the follower sees the leader").contains("replica-a");
                }
                Sql sql = new Sql(first.state().dataSource());
                await(() -> sql.queryOne("SELECT COUNT(*) FROM ferry_sync WHERE leader_node = 'replica-a'", rs -> rs.getLong(1)) == 7,
                        "the leader wrote itself to every sync's row");

                // JMX: the sync MBean's Leader
                assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName("io.ferry:type=sync,name=" + FAILING),
                        "Leader")).isEqualTo("leads");

                // a failed last run is DOWN on its leader only; the follower's stopped schedule routes are not unhealthy
                sql.update("INSERT INTO ferry_run (sync_name, node, started_at, ended_at, status, kind, error_message) "
                        + "VALUES (?, 'replica-a', ?, ?, 'failed', 'sync', 'vendor said no')", FAILING, Instant.now(), Instant.now());
                HealthCheck.Result onLeader = check(first, "sync:" + FAILING);
                HealthCheck.Result onFollower = check(second, "sync:" + FAILING);
                assertThat(onLeader.getState()).isEqualTo(HealthCheck.State.DOWN);
                assertThat(onLeader.getDetails()).containsEntry("cluster.role", "leads");
                assertThat(onFollower.getState()).isEqualTo(HealthCheck.State.UP);
                assertThat(onFollower.getDetails()).containsEntry("cluster.role", "follows");
                assertThat(onFollower.getMessage()).get().asString().contains("vendor said no").contains("this replica follows");
                for (HealthCheck.Result r : HealthCheckHelper.invoke(second.camel())) {
                    if (!r.getCheck().getId().equals("sync:" + FAILING)) {
                        assertThat(r.getState()).as(r.getCheck().getId() + " on the follower").isNotEqualTo(HealthCheck.State.DOWN);
                    }
                }

                // ferry status, from the state database, as any process sees it
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                Map<String, String> asB = new HashMap<>(b);
                StatusCommand.status(List.of("wdt-shops-to-kingdee-customers"), new PrintStream(buf, true, StandardCharsets.UTF_8), asB);
                assertThat(buf.toString(StandardCharsets.UTF_8)).containsPattern("leader: replica-a since \\S+ \\S+; this node \\(replica-b\\) follows");

                // the leader stops: the follower takes every sync over and starts its schedules
                long stopped = System.nanoTime();
                first.close();
                firstClosed = true;
                await(() -> syncs.stream().allMatch(s -> lb.role(s) == Role.LEADS), "replica-b leads every sync");
                System.out.printf("cluster: replica-b led all 7 syncs %d ms after replica-a stopped%n", (System.nanoTime() - stopped) / 1_000_000);
                for (String s : syncs) {
                    assertThat(second.camel().getRouteController().getRouteStatus(s + "-schedule")).as(s).isEqualTo(ServiceStatus.Started);
                }
                Sql sqlB = new Sql(second.state().dataSource());
                await(() -> sqlB.queryOne("SELECT COUNT(*) FROM ferry_sync WHERE leader_node = 'replica-b'", rs -> rs.getLong(1)) == 7,
                        "the new leader wrote itself to every sync's row");
            } finally {
                if (!firstClosed) {
                    first.close();
                }
            }
        } finally {
            TestDatabases.dropMysqlDatabase(url);
        }
    }

    @Test
    void aReplicaThatLeadsMoreThanItsShareGivesUpTheLeadsOfIdleSyncsUntilTheySpread() throws Exception {
        try (TestingServer zk = new TestingServer(true); Sandbox sandbox = new Sandbox(10)) {
            Map<String, String> base = new HashMap<>(sandbox.properties());
            base.put("ferry.state.url", TestDatabases.newH2Database() + ";DB_CLOSE_DELAY=-1");
            base.put("ferry.state.username", "sa");
            base.put("ferry.bi.url", "");
            base.put("ferry.console.enabled", "false");
            base.put("ferry.management.enabled", "false");
            base.put("ferry.jmx.enabled", "false");
            base.put("camel.main.jmx-enabled", "false");
            base.put("ferry.cluster.rebalance-interval", "PT0.5S");
            for (String sync : List.of("jellyfish-a-to-b", "jsonapi-orders-to-mysql", "jst-orders-to-mysql", "jst-shops-to-mysql",
                    "kingdee-customers-to-mysql", "wdt-shops-to-kingdee-customers", "wdt-trades-to-mysql")) {
                base.put("ferry.sync." + sync + ".cron", "0 0 0 1 1 ? 2099");
            }
            Map<String, String> a = new HashMap<>(base);
            a.putAll(ClusterSettings.zookeeper("replica-a", zk.getConnectString()));
            Map<String, String> b = new HashMap<>(base);
            b.putAll(ClusterSettings.zookeeper("replica-b", zk.getConnectString()));
            try (FerryApp first = new FerryApp(a).start()) {
                SyncLeadership la = SyncLeadership.of(first.camel());
                List<String> syncs = first.syncs().names();
                await(() -> syncs.stream().allMatch(s -> la.role(s) == Role.LEADS), "replica-a alone leads every sync");
                try (FerryApp second = new FerryApp(b).start()) {
                    SyncLeadership lb = SyncLeadership.of(second.camel());
                    // 7 namespaces over 2 replicas: at most 4 each
                    await(() -> syncs.stream().filter(s -> la.role(s) == Role.LEADS).count() == 4
                            && syncs.stream().filter(s -> lb.role(s) == Role.LEADS).count() == 3, "4 leads on replica-a, 3 on replica-b");
                    Thread.sleep(2000);
                    for (String s : syncs) {
                        assertThat(la.role(s) == Role.LEADS ^ lb.role(s) == Role.LEADS).as(s + " has one leader").isTrue();
                        assertThat(first.camel().getRouteController().getRouteStatus(s + "-schedule") == ServiceStatus.Started)
                                .as(s + "'s schedule runs where it is led").isEqualTo(la.role(s) == Role.LEADS);
                        assertThat(second.camel().getRouteController().getRouteStatus(s + "-schedule") == ServiceStatus.Started)
                                .as(s + "'s schedule runs where it is led").isEqualTo(lb.role(s) == Role.LEADS);
                    }
                    assertThat(syncs.stream().filter(s -> la.role(s) == Role.LEADS).count()).as("stable after the spread").isEqualTo(4);
                }
            }
        }
    }

    private static HealthCheck.Result check(FerryApp app, String id) {
        return HealthCheckHelper.invoke(app.camel()).stream().filter(r -> r.getCheck().getId().equals(id)).findFirst().orElseThrow();
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
