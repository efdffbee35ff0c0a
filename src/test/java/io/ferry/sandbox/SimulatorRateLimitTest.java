package io.ferry.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class SimulatorRateLimitTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private void advanceMillis(long ms) {
        nanos.addAndGet(ms * 1_000_000L);
    }

    @Test
    void allowsTheLimitInAnySlidingWindowAndDoesNotCountRefusals() {
        SimulatorRateLimit limit = new SimulatorRateLimit(2, Duration.ofSeconds(1), nanos::get);
        assertThat(limit.allow("app")).isTrue();
        advanceMillis(600);
        assertThat(limit.allow("app")).isTrue();
        assertThat(limit.allow("app")).isFalse();
        advanceMillis(399);
        assertThat(limit.allow("app")).as("the first call is 999 ms old").isFalse();
        advanceMillis(1);
        assertThat(limit.allow("app")).as("the first call has left the window").isTrue();
        assertThat(limit.allow("app")).isFalse();
        // the refusals above were not counted: once the two counted calls are a second old, two more get in
        advanceMillis(1000);
        assertThat(limit.allow("app")).isTrue();
        assertThat(limit.allow("app")).isTrue();
        assertThat(limit.allow("app")).isFalse();
    }

    @Test
    void eachKeyHasItsOwnCount() {
        SimulatorRateLimit limit = new SimulatorRateLimit(1, Duration.ofMinutes(1), nanos::get);
        assertThat(limit.allow("a")).isTrue();
        assertThat(limit.allow("a")).isFalse();
        assertThat(limit.allow("b")).isTrue();
        advanceMillis(59_999);
        assertThat(limit.allow("a")).isFalse();
        advanceMillis(1);
        assertThat(limit.allow("a")).isTrue();
    }

    @Test
    void aLimitOfZeroRefusesNothing() {
        SimulatorRateLimit limit = new SimulatorRateLimit(0, Duration.ofSeconds(1), nanos::get);
        for (int i = 0; i < 1000; i++) {
            assertThat(limit.allow("app")).isTrue();
        }
    }
}
