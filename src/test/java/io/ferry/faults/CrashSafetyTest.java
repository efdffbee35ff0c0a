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
import java.util.function.LongSupplier;

import org.junit.jupiter.api.Test;

import io.ferry.sandbox.Sandbox;
import io.ferry.support.TestDatabases;

/**
 * Ferry as its own JVM process running all three syncs, killed with SIGKILL at random moments of its runs and
 * started again. At the end: every source key is in its target exactly once, nothing is marked that the target
 * does not have, Kingdee holds no duplicate customer, and JellyFish B stored every record once.
 */
class CrashSafetyTest {

    private static final int JST_SHOPS = 20_000;
    private static final int OTHER = 3_000;
    private static final int KILLS = 6;
    private static final List<String> SYNCS = List.of("jellyfish-a-to-b", "jst-shops-to-mysql", "wdt-shops-to-kingdee-customers");

    @Test
    void killedMidRunAndRestartedItEndsExactlyOnce() throws Exception {
        String url = TestDatabases.newMysqlDatabase();
        Random random = new Random(7);
        try (Sandbox sandbox = new Sandbox(OTHER)) {
            sandbox.jushuitan().rateLimit(false);
            sandbox.jushuitan().addShops(JST_SHOPS - OTHER);
            sandbox.wangdiantong().rateLimit(false);
            Path config = config(sandbox, url);
            Path log = Files.createTempFile("ferry-crash", ".log");
            LongSupplier delivered = () -> countQuietly(url, "SELECT COUNT(*) FROM bi_shop") + sandbox.kingdee().customers().size()
                    + sandbox.jellyFishTarget().acceptedIds().size();
            int kills = 0;
            int attempts = 0;
            while (kills < KILLS && attempts < 40) {
                attempts++;
                long before = delivered.getAsLong();
                // the syncs in a random order, so that the kills land in each of them
                List<String> order = new ArrayList<>(SYNCS);
                java.util.Collections.shuffle(order, random);
                Process p = start(config, log, order);
                // once this process has delivered something, kill it at a random moment
                long deadline = System.currentTimeMillis() + 120_000;
                long deliveringSince = -1;
                long wait = 200 + random.nextInt(2500);
                while (p.isAlive() && System.currentTimeMillis() < deadline) {
                    if (deliveringSince < 0 && delivered.getAsLong() > before) {
                        deliveringSince = System.currentTimeMillis();
                    }
                    if (deliveringSince > 0 && System.currentTimeMillis() - deliveringSince > wait) {
                        break;
                    }
                    Thread.sleep(20);
                }
                if (p.isAlive()) {
                    p.destroyForcibly(); // SIGKILL on Linux
                    p.waitFor(30, TimeUnit.SECONDS);
                    if (deliveringSince > 0) {
                        kills++;
                    }
                }
            }
            assertThat(kills).isEqualTo(KILLS);

            Process last = start(config, log, SYNCS);
            assertThat(last.waitFor(10, TimeUnit.MINUTES)).as("the last run ends; log in " + log).isTrue();
            assertThat(last.exitValue()).as("every sync of the last run succeeds; log in " + log).isZero();

            assertThat(count(url, "SELECT COUNT(*) FROM bi_shop")).isEqualTo(JST_SHOPS);
            assertThat(count(url, "SELECT COUNT(DISTINCT shop_id) FROM bi_shop")).isEqualTo(JST_SHOPS);
            assertThat(sandbox.kingdee().customers()).hasSize(OTHER);
            assertThat(sandbox.jellyFishTarget().acceptedIds()).hasSize(OTHER).doesNotHaveDuplicates();
            System.out.printf("crash safety: %d kills; JellyFish B was sent %d record(s) a second time (a kill between "
                    + "B's answer and the mark); Kingdee saved %d customers in %d BatchSave calls%n", kills,
                    sandbox.jellyFishTarget().duplicates().size(), sandbox.kingdee().customersSaved(),
                    sandbox.kingdee().batchSaveCalls());

            for (String[] sync : new String[][] { { "jst-shops-to-mysql", String.valueOf(JST_SHOPS) },
                    { "wdt-shops-to-kingdee-customers", String.valueOf(OTHER) }, { "jellyfish-a-to-b", String.valueOf(OTHER) } }) {
                assertThat(count(url, "SELECT COUNT(*) FROM ferry_synced_key WHERE sync_name = '" + sync[0] + "'"))
                        .as(sync[0]).isEqualTo(Long.parseLong(sync[1]));
            }
            // a marked key is always in the target
            assertThat(count(url, "SELECT COUNT(*) FROM ferry_synced_key k LEFT JOIN bi_shop b ON b.shop_id = CAST(k.record_key AS SIGNED) "
                    + "WHERE k.sync_name = 'jst-shops-to-mysql' AND b.shop_id IS NULL")).isZero();
            assertThat(count(url, "SELECT COUNT(*) FROM ferry_dead_letter")).isZero();
            // the runs the kills interrupted are closed as abandoned when Ferry starts again
            assertThat(count(url, "SELECT COUNT(*) FROM ferry_run WHERE status = 'abandoned'")).isGreaterThanOrEqualTo(KILLS);
            assertThat(count(url, "SELECT COUNT(*) FROM ferry_run WHERE status = 'running'")).isZero();
        } finally {
            TestDatabases.dropMysqlDatabase(url);
        }
    }

    /** application.properties with the sandbox's endpoints and credentials and the test database appended. */
    private static Path config(Sandbox sandbox, String url) throws Exception {
        StringBuilder sb = new StringBuilder(Files.readString(Path.of("application.properties"))).append('\n');
        Map<String, String> extra = new java.util.LinkedHashMap<>(sandbox.properties());
        extra.put("ferry.state.url", url);
        extra.put("ferry.state.username", TestDatabases.MYSQL_USER);
        extra.put("ferry.state.password", TestDatabases.MYSQL_PASSWORD);
        extra.put("ferry.node", "crash-test");
        extra.put("camel.component.jushuitan.requests-per-second", "0");
        extra.put("camel.component.jushuitan.requests-per-minute", "0");
        extra.put("ferry.sync.jellyfish-a-to-b.delay", "10");
        extra.put("ferry.retry.initial-delay", "50");
        extra.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        Path file = Files.createTempFile("ferry-crash", ".properties");
        Files.writeString(file, sb);
        return file;
    }

    private static Process start(Path config, Path log, List<String> syncs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.ferry.FerryMain", "sync"));
        cmd.addAll(syncs);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(new File(".")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("FERRY_CONFIG", config.toString());
        return pb.start();
    }

    private static long countQuietly(String url, String sql) {
        try {
            return count(url, sql);
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
