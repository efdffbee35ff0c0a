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

    @Test
    void aCallOneWindowRefusesIsCountedInNoneOfThem() {
        SimulatorRateLimit second = new SimulatorRateLimit(3, Duration.ofSeconds(1), nanos::get);
        SimulatorRateLimit tenth = new SimulatorRateLimit(1, Duration.ofMillis(100), nanos::get);
        assertThat(SimulatorRateLimit.refusing("app", second, tenth)).isNull();
        for (int i = 0; i < 3; i++) {
            assertThat(SimulatorRateLimit.refusing("app", second, tenth)).as("the tenth of a second is full").isSameAs(tenth);
        }
        // had those three been counted in the second's window, it would be full now
        advanceMillis(100);
        assertThat(SimulatorRateLimit.refusing("app", second, tenth)).isNull();
        advanceMillis(100);
        assertThat(SimulatorRateLimit.refusing("app", second, tenth)).isNull();
        advanceMillis(100);
        assertThat(SimulatorRateLimit.refusing("app", second, tenth)).as("three calls in the second").isSameAs(second);
        // at the second's edge the first call leaves it
        advanceMillis(700);
        assertThat(SimulatorRateLimit.refusing("app", second, tenth)).as("the first call is a second old").isNull();
    }

    @Test
    void saysHowLongUntilTheWindowHasRoom() {
        SimulatorRateLimit limit = new SimulatorRateLimit(2, Duration.ofSeconds(1), nanos::get);
        assertThat(limit.nanosUntilRoom("app")).isZero();
        limit.allow("app");
        advanceMillis(300);
        limit.allow("app");
        assertThat(limit.nanosUntilRoom("app")).isEqualTo(700_000_000L);
        advanceMillis(700);
        assertThat(limit.nanosUntilRoom("app")).isZero();
    }
}
