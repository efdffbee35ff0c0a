package io.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.Test;

import io.ferry.sandbox.Sandbox;
import io.ferry.support.KillableFerry;
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
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("ferry.node", "crash-test");
            settings.put("camel.component.jushuitan.requests-per-second", "0");
            settings.put("camel.component.jushuitan.requests-per-minute", "0");
            settings.put("ferry.sync.jellyfish-a-to-b.delay", "10");
            settings.put("ferry.retry.initial-delay", "50");
            KillableFerry ferry = new KillableFerry(sandbox, url, settings);
            Path log = ferry.log();
            LongSupplier delivered = () -> KillableFerry.countQuietly(url, "SELECT COUNT(*) FROM bi_shop") + sandbox.kingdee().customers().size()
                    + sandbox.jellyFishTarget().acceptedIds().size();
            int kills = 0;
            int attempts = 0;
            while (kills < KILLS && attempts < 40) {
                attempts++;
                long before = delivered.getAsLong();
                // the syncs in a random order, so that the kills land in each of them
                List<String> order = new ArrayList<>(SYNCS);
                java.util.Collections.shuffle(order, random);
                Process p = ferry.start(order);
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
                    KillableFerry.kill(p);
                    if (deliveringSince > 0) {
                        kills++;
                    }
                }
            }
            assertThat(kills).isEqualTo(KILLS);

            Process last = ferry.start(SYNCS);
            assertThat(last.waitFor(10, TimeUnit.MINUTES)).as("the last run ends; log in " + log).isTrue();
            assertThat(last.exitValue()).as("every sync of the last run succeeds; log in " + log).isZero();

            assertThat(KillableFerry.count(url, "SELECT COUNT(*) FROM bi_shop")).isEqualTo(JST_SHOPS);
            assertThat(KillableFerry.count(url, "SELECT COUNT(DISTINCT shop_id) FROM bi_shop")).isEqualTo(JST_SHOPS);
            assertThat(sandbox.kingdee().customers()).hasSize(OTHER);
            assertThat(sandbox.jellyFishTarget().acceptedIds()).hasSize(OTHER).doesNotHaveDuplicates();
            System.out.printf("crash safety: %d kills; JellyFish B was sent %d record(s) a second time (a kill between "
                    + "B's answer and the mark); Kingdee saved %d customers in %d BatchSave calls%n", kills,
                    sandbox.jellyFishTarget().duplicates().size(), sandbox.kingdee().customersSaved(),
                    sandbox.kingdee().batchSaveCalls());

            for (String[] sync : new String[][] { { "jst-shops-to-mysql", String.valueOf(JST_SHOPS) },
                    { "wdt-shops-to-kingdee-customers", String.valueOf(OTHER) }, { "jellyfish-a-to-b", String.valueOf(OTHER) } }) {
                assertThat(KillableFerry.count(url, "SELECT COUNT(*) FROM ferry_synced_key WHERE sync_name = '" + sync[0] + "'"))
                        .as(sync[0]).isEqualTo(Long.parseLong(sync[1]));
            }
            // a marked key is always in the target
            assertThat(KillableFerry.count(url, "SELECT COUNT(*) FROM ferry_synced_key k LEFT JOIN bi_shop b ON b.shop_id = CAST(k.record_key AS SIGNED) "
                    + "WHERE k.sync_name = 'jst-shops-to-mysql' AND b.shop_id IS NULL")).isZero();
            assertThat(KillableFerry.count(url, "SELECT COUNT(*) FROM ferry_dead_letter")).isZero();
            // the runs the kills interrupted are closed as abandoned when Ferry starts again
            assertThat(KillableFerry.count(url, "SELECT COUNT(*) FROM ferry_run WHERE status = 'abandoned'")).isGreaterThanOrEqualTo(KILLS);
            assertThat(KillableFerry.count(url, "SELECT COUNT(*) FROM ferry_run WHERE status = 'running'")).isZero();
        } finally {
            TestDatabases.dropMysqlDatabase(url);
        }
    }
}
