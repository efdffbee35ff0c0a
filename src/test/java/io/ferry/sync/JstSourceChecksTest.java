package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** The Jushuitan client against the simulator's checks: signature, token, and the rate limit. */
class JstSourceChecksTest {

    private static final String SYNC = "jst-shops-to-mysql";

    @Test
    void aBadSignatureIsAClearErrorThatIsNotRetried() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 50)) {
            f.with("camel.component.jushuitan.app-secret", "not-the-secret").start();
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("failed");
            assertThat(run.error()).contains("code 101").contains("签名验证失败").contains("app-secret");
            assertThat(f.sandbox().jushuitan().requests()).isEqualTo(1);
            assertThat(run.error()).doesNotContain("not-the-secret");
        }
    }

    @Test
    void aBadTokenIsAClearErrorThatIsNotRetried() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 50)) {
            f.with("camel.component.jushuitan.access-token", "expired-token").start();
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("failed");
            assertThat(run.error()).contains("code 102").contains("access_token");
            assertThat(f.sandbox().jushuitan().requests()).isEqualTo(1);
        }
    }

    @Test
    void rateLimitAnswersAreWaitedOutAndThePageAskedAgain() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 800)) {
            f.with("camel.component.jushuitan.rate-limit-pause", "100").start();
            f.sandbox().jushuitan().rateLimit(false);
            f.sandbox().jushuitan().answerRateLimited(3);
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.pages()).isEqualTo(8);
            assertThat(run.written()).isEqualTo(800);
            assertThat(f.sandbox().jushuitan().rateLimitAnswers()).isEqualTo(3);
            // eight pages, the first asked four times
            assertThat(f.sandbox().jushuitan().requests()).isEqualTo(11);
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(800);
        }
    }

    @Test
    void theClientStaysUnderTheConfiguredLimitOnItsOwn() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 1200)) {
            f.start(); // the simulator enforces 5/s and 100/min, the client's defaults
            long t0 = System.nanoTime();
            RunRecord run = f.runSync(SYNC);
            double secs = (System.nanoTime() - t0) / 1e9;
            assertThat(run.written()).isEqualTo(1200);
            assertThat(f.sandbox().jushuitan().rateLimitAnswers()).isZero();
            // 12 pages at 5 per second cannot take less than two seconds
            assertThat(secs).isGreaterThan(2.0);
        }
    }

    @Test
    void aLimitThatOutlastsTheConfiguredWaitEndsTheRunAsPartialAndKeepsItsProgress() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 500)) {
            f.with("camel.component.jushuitan.rate-limit-pause", "100")
                    .with("camel.component.jushuitan.rate-limit-max-wait", "500").start();
            f.sandbox().jushuitan().rateLimit(100, 2); // two calls a minute
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("partial");
            assertThat(run.error()).contains("kept answering code 200");
            assertThat(run.written()).isEqualTo(200);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key")).isEqualTo(200);

            f.sandbox().jushuitan().rateLimit(false);
            RunRecord next = f.runSync(SYNC);
            assertThat(next.status()).isEqualTo("succeeded");
            assertThat(next.written()).isEqualTo(300);
        }
    }
}
