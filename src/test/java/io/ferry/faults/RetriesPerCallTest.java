package io.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.ferry.sandbox.Faults;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * Each call gets its own attempts: a long run that meets many spaced faults, each passing on a retry, succeeds,
 * however many faults came before (the paging loop's exchange used to carry Camel's redelivery count from page
 * to page, so a run failed at the third fault of the whole run with two retries).
 */
class RetriesPerCallTest {

    @Test
    void aLongRunWithManySpacedFaultsSucceedsInOneRun() throws Exception {
        // 100 pages; HTTP 500 on about one call in eight; two retries per call
        try (FerryHarness f = new FerryHarness(Db.H2, 10_000).with("ferry.retry.max-redeliveries", "2").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            f.sandbox().jushuitan().setFaults(new Faults(7, 0.12, 0, 0, 0, 0, 0, 0, 0));
            RunRecord run = f.runSync("jst-shops-to-mysql");
            assertThat(run.status()).as(run.error()).isEqualTo("succeeded");
            assertThat(f.sandbox().jushuitan().faultsInjected()).as("faults met by the run").isGreaterThanOrEqualTo(8);
            assertThat(run.pages()).isEqualTo(100);
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(10_000);
        }
    }
}
