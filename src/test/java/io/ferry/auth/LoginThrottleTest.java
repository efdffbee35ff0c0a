package io.ferry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.ferry.auth.LoginThrottle.Settings;

/** The login throttle's rules on a clock the test moves: delays, lockout, reset on success, bounded memory. */
class LoginThrottleTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    private void advance(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    private LoginThrottle throttle(int maxFailures, int lockoutSeconds, int delayMs, int maxDelayMs) {
        return new LoginThrottle(new Settings(maxFailures, Duration.ofSeconds(lockoutSeconds),
                Duration.ofMillis(delayMs), Duration.ofMillis(maxDelayMs)), clock::get);
    }

    @Test
    void eachFailureDoublesTheWaitUpToItsCeilingThenTheClientIsLockedOutForTheLockout() {
        LoginThrottle t = throttle(5, 60, 100, 300);
        long[] expectedWaitMs = { 100, 200, 300, 300 };
        for (long waitMs : expectedWaitMs) {
            assertThat(t.admit("10.0.0.1")).isZero();
            assertThat(t.admit("10.0.0.1")).isEqualTo(Duration.ofMillis(waitMs));
            advance(Duration.ofMillis(waitMs));
        }
        assertThat(t.admit("10.0.0.1")).as("the fifth attempt reaches the check").isZero();
        assertThat(t.admit("10.0.0.1")).as("locked").isEqualTo(Duration.ofSeconds(60));
        advance(Duration.ofSeconds(59));
        assertThat(t.admit("10.0.0.1")).isEqualTo(Duration.ofSeconds(1));
        advance(Duration.ofSeconds(1));
        assertThat(t.admit("10.0.0.1")).as("the lockout has ended").isZero();
    }

    @Test
    void aSuccessfulLoginForgetsTheClientsFailures() {
        LoginThrottle t = throttle(3, 60, 10, 10);
        for (int round = 0; round < 3; round++) {
            assertThat(t.admit("10.0.0.1")).isZero();
            advance(Duration.ofMillis(10));
            assertThat(t.admit("10.0.0.1")).isZero();
            advance(Duration.ofMillis(10));
            // the third attempt of the round is right: without the reset, the next round's first would be locked out
            assertThat(t.admit("10.0.0.1")).isZero();
            t.succeeded("10.0.0.1");
        }
        assertThat(t.admit("10.0.0.1")).isZero();
    }

    @Test
    void failuresSpacedWiderThanTheLockoutNeverLockAClient() {
        LoginThrottle t = throttle(2, 10, 10, 10);
        for (int i = 0; i < 5; i++) {
            assertThat(t.admit("10.0.0.1")).isZero();
            advance(Duration.ofSeconds(11));
        }
    }

    @Test
    void theAccountsDelayHoldsEveryAddressTogether() {
        LoginThrottle t = throttle(5, 60, 100, 400);
        assertThat(t.admit("10.0.0.1")).isZero();
        assertThat(t.admit("10.0.0.2")).as("another address, the same account").isEqualTo(Duration.ofMillis(100));
        advance(Duration.ofMillis(100));
        assertThat(t.admit("10.0.0.2")).isZero();
        assertThat(t.admit("10.0.0.3")).isEqualTo(Duration.ofMillis(200));
        // the account is never locked: after many failures from many addresses it waits the ceiling, no more
        for (int i = 4; i < 40; i++) {
            advance(Duration.ofMillis(400));
            assertThat(t.admit("10.0.0." + i)).isZero();
        }
        assertThat(t.admit("10.0.1.1")).isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void theClientTableStaysBoundedAndForgetsAddressesAfterTheLockout() {
        LoginThrottle t = throttle(5, 300, 0, 0);
        for (int i = 0; i < 25_000; i++) {
            assertThat(t.admit("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255))).isZero();
        }
        assertThat(t.clients()).isEqualTo(LoginThrottle.MAX_CLIENTS);
        advance(Duration.ofSeconds(301));
        assertThat(t.clients()).isZero();
    }
}
