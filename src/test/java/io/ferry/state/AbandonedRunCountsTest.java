package io.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.ferry.FerryApp;
import io.ferry.sandbox.JushuitanSimulator;
import io.ferry.sandbox.Sandbox;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.TestDatabases;

/**
 * A run whose process was killed is closed as abandoned at the next start with counts recomputed from the state:
 * its progress is written only every few seconds, and a run killed before that showed 0 written while thousands of
 * keys carried its id.
 */
class AbandonedRunCountsTest {

    private static final String SYNC = "jst-shops-to-mysql";

    @Test
    void aRunKilledBeforeItsFirstProgressIsClosedWithWhatTheStateSaysItDid() throws Exception {
        String url = TestDatabases.newMysqlDatabase();
        try (Sandbox sandbox = new Sandbox(20_000)) {
            sandbox.jushuitan().rateLimit(false);
            Map<String, Object> tooLong = JushuitanSimulator.shop(4);
            tooLong.put("shop_name", "长".repeat(300));
            sandbox.jushuitan().overrideShop(4, tooLong);
            Map<String, String> props = new HashMap<>(sandbox.properties());
            props.putAll(TestDatabases.mysqlSettings("ferry.state", url));
            props.put("ferry.node", "abandon-test");
            props.put("ferry.bi.url", "");
            props.put("camel.component.jushuitan.requests-per-second", "0");
            props.put("camel.component.jushuitan.requests-per-minute", "0");
            props.put("ferry.management.enabled", "false");
            props.put("ferry.console.enabled", "false");

            Process p = start(config(props));
            FerryState probe = null;
            long deadline = System.currentTimeMillis() + 120_000;
            try {
                while (p.isAlive() && System.currentTimeMillis() < deadline) {
                    if (marked(url) > 500) {
                        break;
                    }
                    Thread.sleep(20);
                }
                assertThat(p.isAlive()).as("the run is still going when it is killed").isTrue();
            } finally {
                p.destroyForcibly(); // SIGKILL on Linux
                p.waitFor(30, TimeUnit.SECONDS);
            }

            props.put("ferry.schedules.enabled", "false");
            props.put("ferry.management.port", String.valueOf(FerryHarness.freePort()));
            try (FerryApp app = new FerryApp(props).start()) {
                probe = app.state();
                RunRecord abandoned = probe.runs().recent(SYNC, 1).get(0);
                assertThat(abandoned.status()).isEqualTo("abandoned");
                Sql sql = new Sql(probe.dataSource());
                long keys = sql.queryOne("SELECT COUNT(*) FROM ferry_synced_key WHERE run_id = ?", rs -> rs.getLong(1), abandoned.id());
                long letters = sql.queryOne("SELECT COUNT(*) FROM ferry_dead_letter WHERE run_id = ?", rs -> rs.getLong(1), abandoned.id());
                assertThat(keys).isGreaterThan(500);
                assertThat(letters).isEqualTo(1);
                assertThat(abandoned.written()).isEqualTo(keys);
                assertThat(abandoned.failed()).isEqualTo(1);
                assertThat(abandoned.read()).isGreaterThanOrEqualTo((int) keys + 1);
            }
        } finally {
            TestDatabases.dropMysqlDatabase(url);
        }
    }

    private static long marked(String url) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, TestDatabases.MYSQL_USER, TestDatabases.MYSQL_PASSWORD);
                java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM ferry_synced_key")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return 0; // the table is not there yet
        }
    }

    /** application.properties with these properties appended. */
    private static Path config(Map<String, String> props) throws Exception {
        StringBuilder sb = new StringBuilder(Files.readString(Path.of("application.properties"))).append('\n');
        props.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        Path file = Files.createTempFile("ferry-abandon", ".properties");
        Files.writeString(file, sb);
        return file;
    }

    private static Process start(Path config) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), "io.ferry.FerryMain", "sync", SYNC);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File(".")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("FERRY_CONFIG", config.toString());
        return pb.start();
    }
}
