package io.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import io.ferry.FerryApp;
import io.ferry.sandbox.Sandbox;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.LogCapture;
import io.ferry.support.TestDatabases;

/**
 * The one-run-per-sync rule kept by the state database across processes, whatever a cluster service says: two
 * FerryStates with pools of their own on one MariaDB stand for two replicas that both believe they lead a sync.
 */
class OneRunPerSyncAcrossProcessesTest {

    private static final String SYNC = "jst-shops-to-mysql";
    private static final Duration BEAT = Duration.ofMillis(200);
    private static final Duration TIMEOUT = Duration.ofMillis(800);

    private String url;
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final List<FerryState> states = new ArrayList<>();

    @BeforeEach
    void database() {
        url = TestDatabases.newMysqlDatabase();
    }

    @AfterEach
    void drop() {
        states.forEach(s -> s.runs().heartbeat().close());
        pools.forEach(HikariDataSource::close);
        TestDatabases.dropMysqlDatabase(url);
    }

    private FerryState replica(String node) {
        HikariDataSource ds = Databases.pool("replica-" + node, url, TestDatabases.MYSQL_USER, TestDatabases.MYSQL_PASSWORD, 3);
        pools.add(ds);
        Databases.migrateState(ds);
        FerryState state = new FerryState(ds, node, BEAT, TIMEOUT);
        states.add(state);
        return state;
    }

    private long count(FerryState s, String sql, Object... params) {
        return new Sql(s.dataSource()).queryOne(sql, rs -> rs.getLong(1), params);
    }

    @Test
    void aSecondRunIsRefusedWhileTheFirstBeatsAndWritesNothing() throws Exception {
        FerryState a = replica("a");
        FerryState b = replica("b");
        long first = a.runs().open(SYNC, "a");
        // longer than the timeout: only the heartbeat keeps the run fresh
        Thread.sleep(TIMEOUT.multipliedBy(3).toMillis());
        assertThatThrownBy(() -> b.runs().open(SYNC, "b"))
                .isInstanceOfSatisfying(RunGoingOnException.class, e -> assertThat(e.running().id()).isEqualTo(first))
                .hasMessageContaining("run " + first + " is going on on node a").hasMessageContaining("this run is not started");
        assertThat(count(b, "SELECT COUNT(*) FROM ferry_run")).as("the refused run left no row").isEqualTo(1);
        assertThat(a.runs().find(first).status()).isEqualTo("running");

        // a replay of the sync's dead letters goes on beside a run, as it does in one process
        long replay = b.runs().open(SYNC, "b", RunRepository.REPLAY);
        b.runs().close(replay, "succeeded", 0, 0, 0, 0, 0, null);
        // another sync is not held up
        b.runs().close(b.runs().open("other-sync", "b"), "succeeded", 0, 0, 0, 0, 0, null);

        a.runs().close(first, "succeeded", 1, 1, 0, 1, 0, null);
        long second = b.runs().open(SYNC, "b");
        assertThat(a.runs().find(first).status()).as("a run that ended stays as it ended").isEqualTo("succeeded");
        assertThat(b.runs().find(second).status()).isEqualTo("running");
    }

    @Test
    void aRunWhoseHeartbeatStoppedIsClosedAsAbandonedByTheNextOpenerWithItsCountsRecomputed() throws Exception {
        FerryState a = replica("a");
        FerryState b = replica("b");
        long dead = a.runs().open(SYNC, "a");
        // what the run did before its process died: two keys confirmed, one dead letter
        Sql sql = new Sql(a.dataSource());
        for (String key : List.of("k1", "k2")) {
            sql.update("INSERT INTO ferry_synced_key (sync_name, record_key, run_id, synced_at) VALUES (?, ?, ?, ?)", SYNC, key, dead,
                    Instant.now());
        }
        sql.update("INSERT INTO ferry_dead_letter (sync_name, run_id, record_key, stage, first_failed_at, last_failed_at) "
                + "VALUES (?, ?, 'k3', 'map', ?, ?)", SYNC, dead, Instant.now(), Instant.now());
        // the process is gone: no more heartbeats
        a.runs().heartbeat().close();

        assertThatThrownBy(() -> b.runs().open(SYNC, "b")).as("within the timeout the run still counts as going on")
                .isInstanceOf(RunGoingOnException.class);
        Thread.sleep(TIMEOUT.plus(BEAT).toMillis());
        long next = b.runs().open(SYNC, "b");

        RunRecord abandoned = b.runs().find(dead);
        assertThat(abandoned.status()).isEqualTo("abandoned");
        assertThat(abandoned.error()).startsWith("its process stopped before the run ended (no heartbeat for ");
        assertThat(abandoned.endedAt()).isNotNull();
        assertThat(abandoned.written()).isEqualTo(2);
        assertThat(abandoned.failed()).isEqualTo(1);
        assertThat(abandoned.read()).isEqualTo(3);
        assertThat(b.runs().find(next).status()).isEqualTo("running");
        assertThat(count(b, "SELECT COUNT(*) FROM ferry_run WHERE status = 'running'")).isEqualTo(1);
    }

    @Test
    void aLiveRunIsNeverAbandonedAndItsHeartbeatMoves() throws Exception {
        FerryState a = replica("a");
        long run = a.runs().open(SYNC, "a");
        Sql sql = new Sql(a.dataSource());
        java.sql.Timestamp before = sql.queryOne("SELECT heartbeat_at FROM ferry_run WHERE id = ?", rs -> rs.getTimestamp(1), run);
        Thread.sleep(BEAT.multipliedBy(4).toMillis());
        java.sql.Timestamp after = sql.queryOne("SELECT heartbeat_at FROM ferry_run WHERE id = ?", rs -> rs.getTimestamp(1), run);
        assertThat(after).isAfter(before);
        a.runs().close(run, "succeeded", 0, 0, 0, 0, 0, null);
        java.sql.Timestamp closed = sql.queryOne("SELECT heartbeat_at FROM ferry_run WHERE id = ?", rs -> rs.getTimestamp(1), run);
        Thread.sleep(BEAT.multipliedBy(3).toMillis());
        java.sql.Timestamp later = sql.queryOne("SELECT heartbeat_at FROM ferry_run WHERE id = ?", rs -> rs.getTimestamp(1), run);
        assertThat(later).as("a closed run is no longer beaten").isEqualTo(closed);
    }

    @Test
    void ofManyOpenersAtOnceExactlyOneStarts() throws Exception {
        List<FerryState> replicas = List.of(replica("a"), replica("b"), replica("c"));
        ExecutorService pool = Executors.newFixedThreadPool(replicas.size() * 2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> tries = new ArrayList<>();
            for (int i = 0; i < replicas.size() * 2; i++) {
                FerryState s = replicas.get(i % replicas.size());
                Callable<Long> open = () -> {
                    go.await();
                    try {
                        return s.runs().open(SYNC, s.node());
                    } catch (RunGoingOnException e) {
                        return -1L;
                    }
                };
                tries.add(pool.submit(open));
            }
            go.countDown();
            int opened = 0;
            for (Future<Long> f : tries) {
                if (f.get(30, TimeUnit.SECONDS) > 0) {
                    opened++;
                }
            }
            assertThat(opened).isEqualTo(1);
            assertThat(count(replicas.get(0), "SELECT COUNT(*) FROM ferry_run WHERE sync_name = ?", SYNC)).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Two Ferry processes' worth of the real sync on one state database: the second trigger is skipped, nothing is lost. */
    @Test
    void theRefusedTriggerOfARealSyncIsSkippedWithALogLineAndTheRunningOneDeliversEverything() throws Exception {
        try (Sandbox sandbox = new Sandbox(1000); LogCapture log = new LogCapture()) {
            // 5 calls a second: the run of 10 pages takes about two seconds
            Map<String, String> props = new HashMap<>(sandbox.properties());
            props.putAll(TestDatabases.mysqlSettings("ferry.state", url));
            props.put("ferry.bi.url", "");
            props.put("ferry.schedules.enabled", "false");
            props.put("ferry.console.enabled", "false");
            props.put("ferry.management.enabled", "false");
            props.put("ferry.run.heartbeat-interval", "PT0.5S");
            props.put("ferry.run.heartbeat-timeout", "PT2S");
            Map<String, String> propsA = new HashMap<>(props);
            propsA.put("ferry.node", "replica-a");
            Map<String, String> propsB = new HashMap<>(props);
            propsB.put("ferry.node", "replica-b");
            propsB.put("ferry.jmx.enabled", "false");
            propsB.put("ferry.metrics.enabled", "false");
            try (FerryApp a = new FerryApp(propsA).start(); FerryApp b = new FerryApp(propsB).start()) {
                ExecutorService runner = Executors.newSingleThreadExecutor();
                try {
                    Future<RunRecord> first = runner.submit(() -> a.runSync(SYNC));
                    long deadline = System.currentTimeMillis() + 30_000;
                    while (a.syncs().current(SYNC) == null && System.currentTimeMillis() < deadline) {
                        Thread.sleep(10);
                    }
                    assertThat(a.syncs().current(SYNC)).as("replica a's run started").isNotNull();
                    assertThat(b.runSync(SYNC)).as("replica b's trigger is skipped").isNull();
                    RunRecord done = first.get(60, TimeUnit.SECONDS);
                    assertThat(done.status()).isEqualTo("succeeded");
                    assertThat(done.written()).isEqualTo(1000);
                } finally {
                    runner.shutdownNow();
                }
                assertThat(log.lines()).anyMatch(l -> l.contains(SYNC + ": run ") && l.contains("is going on on node replica-a")
                        && l.endsWith("this trigger is skipped"));
                assertThat(count(a.state(), "SELECT COUNT(*) FROM ferry_run WHERE sync_name = ?", SYNC)).isEqualTo(1);
                assertThat(count(a.state(), "SELECT COUNT(DISTINCT shop_id) FROM bi_shop")).isEqualTo(1000);
                // and once it ended, the other replica's next trigger runs: nothing new to write
                RunRecord later = b.runSync(SYNC);
                assertThat(later.status()).isEqualTo("succeeded");
                assertThat(later.skipped()).isEqualTo(1000);
            }
        }
    }
}
