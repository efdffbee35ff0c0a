package io.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;
import io.ferry.support.TestDatabases;

/** The state database goes away mid-run, and one sync's runs never overlap. */
class StateDatabaseOutageTest {

    private static final String SYNC = "jst-shops-to-mysql";

    @Test
    void connectionsKilledMidRunEndCleanlyAndTheNextRunIsExact() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 3000)) {
            f.with("camel.component.jushuitan.requests-per-second", "10").start();
            f.sandbox().jushuitan().rateLimit(false);
            CompletableFuture<RunRecord> run = CompletableFuture.supplyAsync(() -> f.runSync(SYNC));
            // once the run has written something, kill every connection Ferry holds to its database, three times
            String db = f.sql().queryOne("SELECT DATABASE()", rs -> rs.getString(1));
            int killed = 0;
            long deadline = System.currentTimeMillis() + 60_000;
            while (killed < 3 && !run.isDone() && System.currentTimeMillis() < deadline) {
                if (written(f) > 200L * (killed + 1)) {
                    killed += killConnections(db) > 0 ? 1 : 0;
                }
                Thread.sleep(20);
            }
            assertThat(killed).as("connections were killed while the run was going").isPositive();
            RunRecord first = run.get(5, TimeUnit.MINUTES);
            assertThat(first.status()).isIn("succeeded", "failed");

            RunRecord next = f.runSync(SYNC);
            assertThat(next.status()).isEqualTo("succeeded");
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(3000);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key")).isEqualTo(3000);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_dead_letter")).isZero();
        }
    }

    @Test
    void aTriggerWhileTheSyncRunsIsSkippedNotRunTwice() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 1500).start()) {
            // 15 pages at 5 calls a second: the first run takes about three seconds
            CompletableFuture<RunRecord> first = CompletableFuture.supplyAsync(() -> f.runSync(SYNC));
            while (f.count("SELECT COUNT(*) FROM ferry_run") == 0) {
                Thread.sleep(20);
            }
            assertThat(f.runSync(SYNC)).as("the overlapping trigger is skipped").isNull();
            assertThat(first.get(2, TimeUnit.MINUTES).written()).isEqualTo(1500);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_run")).isEqualTo(1);
            assertThat(f.runSync(SYNC).skipped()).isEqualTo(1500);
        }
    }

    private static long written(FerryHarness f) {
        try {
            return f.count("SELECT COUNT(*) FROM bi_shop");
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static int killConnections(String db) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(TestDatabases.MYSQL_SERVER + "?sslMode=DISABLED", TestDatabases.MYSQL_USER,
                TestDatabases.MYSQL_PASSWORD); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '" + db + "'")) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            for (long id : ids) {
                try {
                    s.execute("KILL CONNECTION " + id);
                } catch (Exception e) {
                    // already gone
                }
            }
        }
        return ids.size();
    }
}
