package io.ferry.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The lines a run's page shows: a sync's own lines, within the run's time, secrets masked, at most PER_SYNC kept. */
class RunLogTest {

    private static final Logger LOG = LoggerFactory.getLogger(RunLogTest.class);

    @Test
    void keepsEachSyncsLinesMaskedAndBounded() throws Exception {
        RunLog log = RunLog.install(Set.of("shops", "orders")::contains, new SecretMasker(Set.of("s3cret-value")));
        try {
            Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // as a run row keeps it
            LOG.info("shops: run 7 started");
            LOG.warn("orders: the vendor said app_secret=s3cret-value is wrong");
            LOG.info("nobody: not a sync of this process");
            LOG.info("a line about no sync");
            LOG.error("shops: page 3 failed", new IllegalStateException("reset"));
            assertThat(log.of("shops", before, null, 100)).extracting(RunLog.Line::message)
                    .containsExactly("shops: run 7 started", "shops: page 3 failed (java.lang.IllegalStateException: reset)");
            assertThat(log.of("orders", before, null, 100)).extracting(RunLog.Line::message)
                    .containsExactly("orders: the vendor said app_secret=*** is wrong");
            assertThat(log.of("orders", before, null, 100).get(0).level()).isEqualTo("WARN");
            assertThat(log.of("nobody", before, null, 100)).isEmpty();
            // a run that ended before: none of these lines are its
            assertThat(log.of("shops", before.minusSeconds(60), before.minusSeconds(11), 100)).isEmpty();
            // a run that ended a moment before its last line was logged: the line is still its
            assertThat(log.of("orders", before.minusSeconds(60), before.minusSeconds(1), 100)).hasSize(1);
            LOG.info("orders: " + "x".repeat(RunLog.MAX_LINE * 2));
            String cut = log.of("orders", before, null, 1).get(0).message();
            assertThat(cut).endsWith("… (8008 characters)").hasSize(RunLog.MAX_LINE + "… (8008 characters)".length());
            // the last `limit` lines; at most PER_SYNC kept
            for (int i = 0; i < RunLog.PER_SYNC + 10; i++) {
                LOG.debug("shops: line {}", i); // below the logger's level: not kept
                LOG.info("shops: line {}", i);
            }
            assertThat(log.of("shops", before, null, 3)).extracting(RunLog.Line::message)
                    .containsExactly("shops: line " + (RunLog.PER_SYNC + 7), "shops: line " + (RunLog.PER_SYNC + 8),
                            "shops: line " + (RunLog.PER_SYNC + 9));
            assertThat(log.of("shops", before, null, Integer.MAX_VALUE)).hasSize(RunLog.PER_SYNC);
            assertThat(log.truncatedSince("shops", before)).isTrue();
            assertThat(log.truncatedSince("orders", before)).isFalse();
        } finally {
            log.uninstall();
        }
        LOG.info("shops: after the end");
        assertThat(log.of("shops", Instant.now().minusSeconds(5), null, 5)).extracting(RunLog.Line::message)
                .doesNotContain("shops: after the end");
    }
}
