package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.ferry.state.DeadLetterRepository.DeadLetter;
import io.ferry.sandbox.JellyFishTargetSimulator;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * A run whose records mostly fail is failed, not a success: the error limit (ferry:start errorLimit,
 * errorLimitPercent, errorLimitMinRecords; ferry.error-limit.*), end to end against the simulators on MariaDB.
 */
class ErrorLimitTest {

    private static final String JELLYFISH = "jellyfish-test-mapping";
    private static final String DIR = "src/test/resources/routes-errorlimit/";
    private static final String BROKEN = DIR + "jellyfish-amount-of-customer.jsonata";
    private static final String POISON = DIR + "jellyfish-poison-30-60.jsonata";
    private static final String FIXED = "routes/mappings/jellyfish-record.jsonata";

    private static FerryHarness jellyFish(int records, String mapping) {
        return new FerryHarness(Db.MARIADB, records)
                .withRoutes("file:routes/ferry-sync.yaml,file:routes/ferry-templates.yaml,file:" + DIR + "jellyfish-test-mapping.yaml")
                .with("ferry.test.mapping", mapping);
    }

    private static String offset(FerryHarness f) {
        return f.state().offsets().find(JELLYFISH);
    }

    @Test
    void aMappingThatFailsEveryRecordFailsTheRunEarlyKeepsTheOffsetAndTheFixedMappingDeliversThemAllWithoutReplay()
            throws Exception {
        try (FerryHarness f = jellyFish(120, BROKEN).start()) {
            JellyFishTargetSimulator b = f.sandbox().jellyFishTarget();

            RunRecord broken = f.runSync(JELLYFISH);
            assertThat(broken.status()).isEqualTo("failed");
            // stopped once errorLimitMinRecords (20) records were tried, not after dead-lettering all 120
            assertThat(broken.failed()).isEqualTo(20);
            assertThat(broken.written()).isZero();
            assertThat(broken.error()).startsWith("error limit passed: 20 of the 20 records tried were rejected")
                    .contains("errorLimitPercent=50%").contains("errorLimitMinRecords=20")
                    .contains("the first rejections:").contains("(id=1)").contains("(id=3)").doesNotContain("(id=4)");
            assertThat(b.totalCalls()).isZero();
            assertThat(offset(f)).isNull();
            assertThat(f.state().deadLetters().open(JELLYFISH)).hasSize(20);

            // the mapping is fixed: the next run reads from the same offset and delivers every record
            f.with("ferry.test.mapping", FIXED).restart();
            RunRecord fixed = f.runSync(JELLYFISH);
            assertThat(fixed.status()).isEqualTo("succeeded");
            assertThat(fixed.read()).isEqualTo(120);
            assertThat(fixed.written()).isEqualTo(120);
            assertThat(fixed.failed()).isZero();
            assertThat(b.acceptedIds()).hasSize(120).first().isEqualTo("1");
            assertThat(b.duplicates()).isEmpty();
            assertThat(offset(f)).isEqualTo("120");
            // their dead letters are closed by the delivery, no replay needed
            assertThat(f.state().deadLetters().open(JELLYFISH)).isEmpty();
        }
    }

    @Test
    void belowTheLimitAPoisonRecordIsDeadLetteredTheRunSucceedsAndTheOffsetMovesPastIt() throws Exception {
        try (FerryHarness f = jellyFish(120, POISON).start()) {
            JellyFishTargetSimulator b = f.sandbox().jellyFishTarget();

            RunRecord run = f.runSync(JELLYFISH);
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.written()).isEqualTo(118);
            assertThat(run.failed()).isEqualTo(2);
            assertThat(f.state().deadLetters().open(JELLYFISH)).extracting(DeadLetter::key).containsExactly("30", "60");
            // the offset, held after the first rejection, is saved at the end, past the dead-lettered records
            assertThat(offset(f)).isEqualTo("120");

            RunRecord next = f.runSync(JELLYFISH);
            assertThat(next.read()).isZero();
            assertThat(b.callsFor(30)).isZero();
            assertThat(b.acceptedIds()).hasSize(118);
        }
    }

    @Test
    void aCountLimitStopsTheRunWithTheOffsetBeforeTheFirstRejectedRecordAndTheConfirmedRowsStayMarked() throws Exception {
        try (FerryHarness f = jellyFish(120, POISON).with("ferry.error-limit.records", "1").start()) {
            JellyFishTargetSimulator b = f.sandbox().jellyFishTarget();

            RunRecord stopped = f.runSync(JELLYFISH);
            assertThat(stopped.status()).isEqualTo("failed");
            assertThat(stopped.error()).startsWith("error limit passed: 2 records were rejected, more than errorLimit=1")
                    .contains("record 30 is poison").contains("record 60 is poison");
            assertThat(stopped.written()).isEqualTo(58); // 1–29 and 31–59
            assertThat(offset(f)).isEqualTo("29");
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key WHERE sync_name = ?", JELLYFISH)).isEqualTo(58);

            // back to the default limit: the run reads again from 29, sends nothing twice and goes on
            f.without("ferry.error-limit.records").restart();
            RunRecord next = f.runSync(JELLYFISH);
            assertThat(next.status()).isEqualTo("succeeded");
            assertThat(next.read()).isEqualTo(91); // 30–120
            assertThat(next.skipped()).isEqualTo(29); // 31–59, delivered by the stopped run
            assertThat(next.written()).isEqualTo(60);
            assertThat(next.failed()).isEqualTo(2);
            assertThat(b.duplicates()).isEmpty();
            assertThat(b.acceptedIds()).hasSize(118);
            assertThat(offset(f)).isEqualTo("120");
            // a record rejected again keeps one dead letter
            assertThat(f.state().deadLetters().open(JELLYFISH)).extracting(DeadLetter::key).containsExactly("30", "60");
        }
    }

    @Test
    void aKeyNoRecordHasFailsTheRunAtTheFirstPage() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 250)
                .withRoutes("file:routes/ferry-sync.yaml,file:routes/ferry-templates.yaml,file:routes/jst-shops-to-mysql.yaml,file:" + DIR + "jst-shops-wrong-key.yaml")
                .start()) {
            f.sandbox().jushuitan().rateLimit(false);

            RunRecord run = f.runSync("jst-shops-wrong-key");
            assertThat(run.status()).isEqualTo("failed");
            assertThat(run.pages()).isEqualTo(1);
            assertThat(run.failed()).isEqualTo(100);
            assertThat(run.error()).startsWith("error limit passed: 100 of the 100 records tried were rejected")
                    .contains("record has no shopid");
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isZero();
        }
    }

    @Test
    void aLimitOutOfRangeStopsFerryAtStartSayingWhichAndWhy() {
        try (FerryHarness f = new FerryHarness(Db.H2, 1)
                .withRoutes("file:routes/ferry-sync.yaml,file:routes/ferry-templates.yaml,file:" + DIR + "jellyfish-test-mapping.yaml")
                .with("ferry.test.mapping", FIXED).with("ferry.error-limit.percent", "200")) {
            assertThatThrownBy(f::start).satisfies(e -> assertThat(allMessages(e))
                    .contains("sync=jellyfish-test-mapping").contains("errorLimitPercent must be between 0 and 100, got 200"));
        }
    }

    /** The messages of an exception and its causes, one per line. */
    private static String allMessages(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            b.append(t.getMessage()).append('\n');
        }
        return b.toString();
    }
}
