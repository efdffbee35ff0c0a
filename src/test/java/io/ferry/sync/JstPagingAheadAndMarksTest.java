package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * A page that fails while it is read ahead fails the run as a page read on the route's thread would, and the
 * rows the target confirmed before the failure keep their marks (marks are written in groups, and on failure).
 */
class JstPagingAheadAndMarksTest {

    @Test
    void aFailingPageReadAheadFailsTheRunAndKeepsWhatWasDelivered() throws Exception {
        // batches of 30: after page 1, 90 rows are confirmed but not yet marked (marks go in groups of 100)
        try (FerryHarness f = new FerryHarness(Db.H2, 250).with("ferry.sync.jst-shops-to-mysql.batch-size", "30").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            f.sandbox().jushuitan().overridePage(2, 503, "text/html", "<html>busy</html>");
            RunRecord failed = f.runSync("jst-shops-to-mysql");
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(failed.error()).contains("503");
            // the 90 rows written before page 2 failed are marked by the failure; the 10 unwritten ones are not
            assertThat(failed.written()).isEqualTo(90);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key")).isEqualTo(90);

            f.sandbox().jushuitan().clearPageOverrides();
            RunRecord next = f.runSync("jst-shops-to-mysql");
            assertThat(next.status()).isEqualTo("succeeded");
            assertThat(next.skipped()).isEqualTo(90);
            assertThat(next.written()).isEqualTo(160);
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(250);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key")).isEqualTo(250);
        }
    }
}
