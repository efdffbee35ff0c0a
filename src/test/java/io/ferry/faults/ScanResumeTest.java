package io.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * A whole-scan sync makes progress across failed runs: a run that fails at a page saves it, the next run starts
 * there, reads to the end and then the pages before it, so every page is read and no run needs all of them to
 * succeed at once.
 */
class ScanResumeTest {

    private static final String SYNC = "jst-shops-to-mysql";

    @Test
    void theNextRunStartsWhereAFailedScanStoppedAndStillReadsEveryPage() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 1000).with("ferry.retry.max-redeliveries", "1").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            f.sandbox().jushuitan().overridePage(7, 502, "text/html", "<html><body>502 Bad Gateway</body></html>");
            RunRecord first = f.runSync(SYNC);
            assertThat(first.status()).isEqualTo("failed");
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isBetween(1L, 699L);
            assertThat(f.count("SELECT page FROM ferry_scan_position WHERE sync_name = ?", SYNC)).isEqualTo(7);

            // page 7 now answers; new shops appeared on a page before it (the source has 1030: page 11 is new too)
            f.sandbox().jushuitan().clearPageOverrides();
            f.sandbox().jushuitan().addShops(30);
            RunRecord second = f.runSync(SYNC);
            assertThat(second.status()).as(second.error()).isEqualTo("succeeded");
            assertThat(firstPageAsked(f, second.id())).isEqualTo(7);
            assertThat(second.pages()).isEqualTo(11);
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(1030);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_scan_position WHERE sync_name = ?", SYNC)).isZero();

            // a complete scan: the next run starts at the first page again
            RunRecord third = f.runSync(SYNC);
            assertThat(firstPageAsked(f, third.id())).isEqualTo(1);
            assertThat(third.skipped()).isEqualTo(1030);
        }
    }

    private static long firstPageAsked(FerryHarness f, long runId) {
        String body = f.sql().queryOne("SELECT request_body FROM ferry_api_call WHERE run_id = ? ORDER BY id LIMIT 1",
                rs -> rs.getString(1), runId);
        String form = java.net.URLDecoder.decode(body, java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"page_index\":(\\d+)").matcher(form);
        assertThat(m.find()).as(body).isTrue();
        return Long.parseLong(m.group(1));
    }
}
