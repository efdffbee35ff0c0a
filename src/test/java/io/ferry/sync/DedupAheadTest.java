package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.ferry.sandbox.JushuitanSimulator;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * The dedup query of each page is asked while the route works on the page before it; a key served on two pages in a
 * row, and marked in between, is still delivered once.
 */
class DedupAheadTest {

    @Test
    void aKeyOnTwoPagesInARowIsWrittenOnceThoughItWasMarkedBetweenTheQueryAndItsUse() throws Exception {
        // every batch written and marked before the next row is read; shop 1000 (the first of page 11) is shop 999 (the
        // last of page 10) again. No client-side rate limit: page 11 and its query come back while page 10 is written,
        // so shop 999 is marked after the query that says it is not synced
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 1100).with("ferry.sync.jst-shops-to-mysql.concurrency", "1")
                .with("ferry.sync.jst-shops-to-mysql.mark-every", "1").with("camel.component.jushuitan.requests-per-second", "0")
                .with("camel.component.jushuitan.requests-per-minute", "0").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            f.sandbox().jushuitan().overrideShop(1000, JushuitanSimulator.shop(999));
            RunRecord run = f.runSync("jst-shops-to-mysql");
            assertThat(run.status()).as(run.error()).isEqualTo("succeeded");
            assertThat(run.read()).isEqualTo(1100);
            assertThat(run.written()).isEqualTo(1099);
            assertThat(run.skipped()).isEqualTo(1);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key")).isEqualTo(1099);

            RunRecord again = f.runSync("jst-shops-to-mysql");
            assertThat(again.written()).isZero();
            assertThat(again.skipped()).isEqualTo(1100);
        }
    }
}
