package io.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.ferry.sandbox.Sandbox;
import io.ferry.support.TestDatabases;

/**
 * Ferry as its own JVM process, killed with SIGKILL at random moments of its runs and started again: at the end
 * every source key is in the target exactly once, and no key is marked that the target does not have.
 */
class CrashSafetyTest {

    private static final int SHOPS = 20_000;
    private static final int KILLS = 6;

    @Test
    void killedMidRunAndRestartedItEndsExactlyOnce() throws Exception {
        String url = TestDatabases.newMysqlDatabase();
        Random random = new Random(7);
        try (Sandbox sandbox = new Sandbox(SHOPS)) {
            sandbox.jushuitan().rateLimit(false);
            Path log = Files.createTempFile("ferry-crash", ".log");
            int kills = 0;
            int attempts = 0;
            while (kills < KILLS && attempts < 30) {
                attempts++;
                long writtenBefore = written(url);
                Process p = start(sandbox, url, log);
                // wait until this process's run has written something, then kill it at a random moment
                long deadline = System.currentTimeMillis() + 120_000;
                long runningSince = -1;
                while (p.isAlive() && System.currentTimeMillis() < deadline) {
                    if (runningSince < 0 && written(url) > writtenBefore) {
                        runningSince = System.currentTimeMillis();
                    }
                    if (runningSince > 0 && System.currentTimeMillis() - runningSince > 200 + random.nextInt(2500)) {
                        break;
                    }
                    Thread.sleep(50);
                }
                if (p.isAlive()) {
                    p.destroyForcibly(); // SIGKILL on Linux
                    p.waitFor(30, TimeUnit.SECONDS);
                    if (runningSince > 0) {
                        kills++;
                    }
                }
            }
            assertThat(kills).isEqualTo(KILLS);
            long before = count(url, "SELECT COUNT(*) FROM bi_shop");
            assertThat(before).as("the killed runs got somewhere, but not to the end").isBetween(1L, (long) SHOPS - 1);

            Process last = start(sandbox, url, log);
            assertThat(last.waitFor(10, TimeUnit.MINUTES)).isTrue();
            assertThat(last.exitValue()).as("the last run succeeds; log in " + log).isZero();

            assertThat(count(url, "SELECT COUNT(*) FROM bi_shop")).isEqualTo(SHOPS);
            assertThat(count(url, "SELECT COUNT(DISTINCT shop_id) FROM bi_shop")).isEqualTo(SHOPS);
            assertThat(count(url, "SELECT COUNT(*) FROM ferry_synced_key")).isEqualTo(SHOPS);
            assertThat(count(url, "SELECT COUNT(*) FROM ferry_synced_key k LEFT JOIN bi_shop b ON b.shop_id = CAST(k.record_key AS SIGNED) "
                    + "WHERE b.shop_id IS NULL")).isZero();
            assertThat(count(url, "SELECT COUNT(*) FROM ferry_dead_letter")).isZero();
            // the runs the kills interrupted are closed as abandoned when Ferry starts again
            assertThat(count(url, "SELECT COUNT(*) FROM ferry_run WHERE status = 'abandoned'")).isGreaterThanOrEqualTo(KILLS);
            assertThat(count(url, "SELECT COUNT(*) FROM ferry_run WHERE status = 'running'")).isZero();
        } finally {
            TestDatabases.dropMysqlDatabase(url);
        }
    }

    private static Process start(Sandbox sandbox, String url, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "io.ferry.FerryMain", "sync", "jst-shops-to-mysql"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File(".")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        Map<String, String> props = sandbox.properties();
        env.put("FERRY_STATE_URL", url);
        env.put("FERRY_STATE_USERNAME", TestDatabases.MYSQL_USER);
        env.put("FERRY_STATE_PASSWORD", TestDatabases.MYSQL_PASSWORD);
        env.put("FERRY_NODE", "crash-test");
        env.put("FERRY_JUSHUITAN_BASE_URL", props.get("camel.component.jushuitan.base-url"));
        env.put("FERRY_JUSHUITAN_APP_KEY", props.get("camel.component.jushuitan.app-key"));
        env.put("FERRY_JUSHUITAN_APP_SECRET", props.get("camel.component.jushuitan.app-secret"));
        env.put("FERRY_JUSHUITAN_ACCESS_TOKEN", props.get("camel.component.jushuitan.access-token"));
        env.put("FERRY_JUSHUITAN_REQUESTS_PER_SECOND", "0");
        env.put("FERRY_JUSHUITAN_REQUESTS_PER_MINUTE", "0");
        return pb.start();
    }

    private static long written(String url) {
        try {
            return count(url, "SELECT COUNT(*) FROM bi_shop");
        } catch (Exception e) {
            return 0; // the table is not there yet
        }
    }

    private static long count(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, TestDatabases.MYSQL_USER, TestDatabases.MYSQL_PASSWORD);
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
