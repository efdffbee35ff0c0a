package io.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.ferry.sandbox.Faults;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * wdt-shops-to-kingdee-customers and jellyfish-a-to-b with 20% of the calls to both their source and their target
 * faulty, drawn per request (HTTP 500 pages, dropped connections, slow answers, truncated JSON, HTML pages with
 * status 200, rate limits, lost Kingdee sessions, B refusing a push, and answers lost after the target did what was
 * asked): at most two runs make every target exact, every record once, with no dead letter left open.
 */
class ConnectorFaultInjectionTest {

    private static final int RECORDS = 1500;
    /** The runs a sync may need under these faults: each call has its own attempts, so a run rarely fails. */
    private static final int MAX_RUNS = 2;

    private static FerryHarness harness() throws Exception {
        FerryHarness f = new FerryHarness(Db.MARIADB, RECORDS)
                .with("camel.component.wangdiantong.rate-limit-pause", "20")
                .with("camel.component.wangdiantong.read-timeout", "2000")
                .with("camel.component.kingdee.read-timeout", "2000")
                .with("camel.component.jellyfish.read-timeout", "2000")
                .with("ferry.sync.jellyfish-a-to-b.delay", "5")
                .with("ferry.sync.jellyfish-a-to-b.max-attempts", "10")
                .with("ferry.retry.max-redeliveries", "4").start();
        f.sandbox().wangdiantong().rateLimit(false);
        return f;
    }

    @Test
    void wangdiantongToKingdee() throws Exception {
        try (FerryHarness f = harness()) {
            f.sandbox().wangdiantong().setFaults(Faults.mixed(11, 0.20));
            f.sandbox().kingdee().setFaults(Faults.mixed(12, 0.20));
            RunRecord last = untilSucceeded(f, "wdt-shops-to-kingdee-customers");
            assertThat(last.status()).isEqualTo("succeeded");
            assertThat(f.sandbox().kingdee().customers()).hasSize(RECORDS);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key")).isEqualTo(RECORDS);
            assertThat(f.state().deadLetters().open("wdt-shops-to-kingdee-customers")).isEmpty();
            assertThat(f.sandbox().wangdiantong().faultsInjected()).isGreaterThan(3);
            assertThat(f.sandbox().kingdee().faultsInjected()).isGreaterThan(10);
        }
    }

    @Test
    void jellyFishAToB() throws Exception {
        try (FerryHarness f = harness()) {
            f.sandbox().jellyFishSource().setFaults(Faults.mixed(21, 0.20));
            f.sandbox().jellyFishTarget().setFaults(Faults.mixed(22, 0.20));
            // a reply lost after B stored the record is pushed again with the same Idempotency-Key
            f.sandbox().jellyFishTarget().honourIdempotencyKeys(true);
            RunRecord last = untilSucceeded(f, "jellyfish-a-to-b");
            assertThat(last.status()).isEqualTo("succeeded");
            assertThat(f.sandbox().jellyFishTarget().acceptedIds()).hasSize(RECORDS).doesNotHaveDuplicates();
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key")).isEqualTo(RECORDS);
            assertThat(f.state().deadLetters().open("jellyfish-a-to-b")).isEmpty();
            assertThat(f.sandbox().jellyFishTarget().repeatsAnswered()).as("pushes repeated after a lost reply").isPositive();
            System.out.printf("jellyfish under faults: B saw %d pushes for %d records, %d received twice%n",
                    f.sandbox().jellyFishTarget().totalCalls(), RECORDS, f.sandbox().jellyFishTarget().duplicates().size());
        }
    }

    private static RunRecord untilSucceeded(FerryHarness f, String sync) {
        RunRecord last;
        int runs = 0;
        do {
            last = f.runSync(sync);
            runs++;
        } while (!"succeeded".equals(last.status()) && runs < MAX_RUNS);
        System.out.printf("%s under 20%% faults: %d run(s)%n", sync, runs);
        assertThat(last.status()).as("a run succeeded within " + MAX_RUNS + " runs: " + last.error()).isEqualTo("succeeded");
        return last;
    }
}
