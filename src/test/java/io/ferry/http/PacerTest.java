package io.ferry.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.ferry.kernel.RateLimitExhaustedException;

/** The waits after rate-limit answers: a back-off that grows, Retry-After honoured, and a bound per call. */
class PacerTest {

    private static Pacer pacer(long firstPause, long maxPause, long maxWait) {
        return new Pacer(new CallBudget("test", CallBudget.Limits.NONE), Pacer.Policy.of(firstPause, maxPause, maxWait));
    }

    @Test
    void aRefusedCallIsMadeAgainUntilItIsAnswered() {
        AtomicInteger attempts = new AtomicInteger();
        String answer = pacer(1, 10, 10_000).call("test call", () -> attempts.incrementAndGet() <= 3
                ? Pacer.refused(CallBudget.Limit.UNKNOWN, "code 199") : Pacer.answered("page"));
        assertThat(answer).isEqualTo("page");
        assertThat(attempts).hasValue(4);
    }

    @Test
    void theWaitsDoubleWithJitterUpToTheLongestPause() {
        // 100, 200, 400, 800 ms ± 50 %: at least 750 ms in all, at most 2250
        AtomicInteger attempts = new AtomicInteger();
        long start = System.nanoTime();
        pacer(100, 60_000, 60_000).call("test call", () -> attempts.incrementAndGet() <= 4
                ? Pacer.refused(CallBudget.Limit.BUSY, "busy") : Pacer.answered("page"));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(ms).isGreaterThanOrEqualTo(750);
    }

    @Test
    void aCallStopsTheRunWhenItsWaitsWouldPassTheBound() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> pacer(40, 40, 100).call("jushuitan /open/shops/query", () -> {
            attempts.incrementAndGet();
            return Pacer.refused(CallBudget.Limit.PER_SECOND, "code 199 (接口调用频率超过限制)");
        })).isInstanceOf(RateLimitExhaustedException.class)
                .hasMessageStartingWith("jushuitan /open/shops/query kept answering code 199 (接口调用频率超过限制) for 0 s")
                .hasMessageContaining("rate-limit-max-wait")
                .hasMessageEndingWith("stopping this run early");
        assertThat(attempts.get()).isBetween(2, 6);
    }

    @Test
    void anHttp429WaitsAsLongAsItsRetryAfterAsks() {
        AtomicInteger attempts = new AtomicInteger();
        long start = System.nanoTime();
        String answer = pacer(1, 10, 10_000).call("test call", () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new TooManyRequestsException("HTTP 429", "1");
            }
            return Pacer.answered("page");
        });
        assertThat(answer).isEqualTo("page");
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aCallThatFailsOtherwiseIsNotMadeAgainAndFreesItsPlace() {
        CallBudget budget = new CallBudget("test", new CallBudget.Limits(0, 0, 1));
        Pacer pacer = new Pacer(budget, Pacer.Policy.of(1, 10, 1000));
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> pacer.call("test call", () -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("not a rate limit");
        })).hasMessage("not a rate limit");
        assertThat(attempts).hasValue(1);
        assertThat(budget.tryAcquire()).as("the one call at once is free again").isNotNull();
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(Pacer.retryAfterMillis("3")).isEqualTo(3000);
        assertThat(Pacer.retryAfterMillis(null)).isNull();
        assertThat(Pacer.retryAfterMillis("soon")).isNull();
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(10));
        assertThat(Pacer.retryAfterMillis(inTenSeconds)).isBetween(8_000L, 10_000L);
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().minusSeconds(10));
        assertThat(Pacer.retryAfterMillis(past)).isZero();
    }

    @Test
    void aRetryAfterIsHonouredOnlyUpToItsBound() {
        Pacer.Policy policy = new Pacer.Policy(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(5), Duration.ofMillis(200));
        Pacer pacer = new Pacer(new CallBudget("test", CallBudget.Limits.NONE), policy);
        AtomicInteger attempts = new AtomicInteger();
        long start = System.nanoTime();
        pacer.call("test call", () -> attempts.incrementAndGet() == 1
                ? new Pacer.Outcome.Refused<String>(CallBudget.Limit.UNKNOWN, 0, 3_600_000L, "HTTP 429") : Pacer.answered("page"));
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(200L, 3000L);
    }
}
