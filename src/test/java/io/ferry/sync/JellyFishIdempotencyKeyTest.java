package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.ferry.sandbox.JellyFishTargetSimulator;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * routes/jellyfish-a-to-b.yaml when B processed a push and its reply was lost: Ferry pushes again (at-least-once), and
 * each push carries the record's key in Idempotency-Key, so a B that honours the key keeps one copy.
 */
class JellyFishIdempotencyKeyTest {

    private static final String SYNC = "jellyfish-a-to-b";

    private static FerryHarness harness() {
        return new FerryHarness(Db.MARIADB, 40).with("ferry.sync.jellyfish-a-to-b.delay", "5");
    }

    @Test
    void aBThatHonoursTheKeyKeepsOneCopyWhenRepliesAreLost() throws Exception {
        try (FerryHarness f = harness().start()) {
            JellyFishTargetSimulator b = f.sandbox().jellyFishTarget();
            b.honourIdempotencyKeys(true);
            b.loseRepliesAfterProcessing(3);

            RunRecord run = f.runSync(SYNC);

            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.written()).isEqualTo(40);
            assertThat(b.acceptedIds()).hasSize(40);
            assertThat(b.duplicates()).isEmpty();
            // the three pushes whose reply was lost came again, and B answered them from its keys
            assertThat(b.repeatsAnswered()).isEqualTo(3);
            assertThat(b.totalCalls()).isEqualTo(43);
            // the key is the record's business key, the same in the first push and in the retry
            for (int id = 1; id <= 40; id++) {
                assertThat(b.idempotencyKeysFor(id)).isNotEmpty().containsOnly(String.valueOf(id));
            }
        }
    }

    @Test
    void aBThatIgnoresTheKeyGetsADuplicatePerLostReply() throws Exception {
        try (FerryHarness f = harness().start()) {
            JellyFishTargetSimulator b = f.sandbox().jellyFishTarget();
            b.loseRepliesAfterProcessing(3);

            RunRecord run = f.runSync(SYNC);

            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(b.duplicates()).hasSize(3);
            assertThat(b.repeatsAnswered()).isZero();
        }
    }

    @Test
    void theHeaderNameIsAnOption() throws Exception {
        try (FerryHarness f = harness().with("ferry.sync.jellyfish-a-to-b.idempotency-header", "X-Request-Key").start()) {
            JellyFishTargetSimulator b = f.sandbox().jellyFishTarget();
            b.idempotencyHeader("X-Request-Key");
            b.honourIdempotencyKeys(true);
            b.loseRepliesAfterProcessing(1);
            assertThat(f.runSync(SYNC).written()).isEqualTo(40);
            assertThat(b.idempotencyKeysFor(7)).containsOnly("7");
            assertThat(b.duplicates()).isEmpty();
        }
    }
}
