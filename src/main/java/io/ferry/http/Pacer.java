package io.ferry.http;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.resilience4j.core.IntervalFunction;

import io.ferry.kernel.RateLimitExhaustedException;

/**
 * One vendor call under its app key's {@link CallBudget}: it waits its turn, and a rate-limit answer is waited out
 * and the call made again. The waits start at {@code firstPause} and double, with jitter (Resilience4j's
 * exponential random back-off, ±50 %), up to {@code maxPause}; a {@code Retry-After} or a vendor's hint is honoured
 * (up to {@code maxRetryAfter}) when it asks for longer. When one call's waits would pass {@code maxWait} the run
 * stops early ({@link RateLimitExhaustedException}: what was delivered stays delivered, the next run carries on).
 */
public final class Pacer {

    private static final Logger LOG = LoggerFactory.getLogger(Pacer.class);

    /** How a rate-limit answer is waited out. */
    public record Policy(Duration firstPause, Duration maxPause, Duration maxWait, Duration maxRetryAfter) {
        public Policy {
            if (firstPause.isNegative() || maxPause.compareTo(firstPause) < 0) {
                throw new IllegalArgumentException("rate-limit pauses: the first (" + firstPause.toMillis()
                        + " ms) must be at least 0 and at most the longest (" + maxPause.toMillis() + " ms)");
            }
        }

        public static Policy of(long firstPauseMs, long maxPauseMs, long maxWaitMs) {
            return new Policy(Duration.ofMillis(firstPauseMs), Duration.ofMillis(Math.max(firstPauseMs, maxPauseMs)),
                    Duration.ofMillis(maxWaitMs), Duration.ofMillis(Math.max(maxPauseMs, 60_000)));
        }
    }

    /** What one attempt of a call came to. */
    public sealed interface Outcome<T> {
        /** The vendor answered (whatever the answer means to the caller). */
        record Answered<T>(T value) implements Outcome<T> {
        }

        /**
         * The vendor refused the call for its rate limit.
         *
         * @param limit which limit its answer says was hit
         * @param vendorLimit the limit's value when the answer says it (e.g. 每秒5次), else 0
         * @param retryAfterMillis how long the answer asks to wait, or null
         * @param answer the answer in a few words, for the log and the error
         */
        record Refused<T>(CallBudget.Limit limit, int vendorLimit, Long retryAfterMillis, String answer) implements Outcome<T> {
        }
    }

    /** One attempt: makes the call and says what came of it. */
    @FunctionalInterface
    public interface Attempt<T> {
        Outcome<T> attempt();
    }

    public static <T> Outcome<T> answered(T value) {
        return new Outcome.Answered<>(value);
    }

    public static <T> Outcome<T> refused(CallBudget.Limit limit, String answer) {
        return new Outcome.Refused<>(limit, 0, null, answer);
    }

    private final CallBudget budget;
    private final Policy policy;
    private final IntervalFunction backoff;

    public Pacer(CallBudget budget, Policy policy) {
        this.budget = budget;
        this.policy = policy;
        this.backoff = policy.firstPause().isZero() ? attempt -> 0L
                : IntervalFunction.ofExponentialRandomBackoff(policy.firstPause(), 2.0, 0.5, policy.maxPause());
    }

    public CallBudget budget() {
        return budget;
    }

    /**
     * Makes the call, as often as rate-limit answers ask. An HTTP 429 ({@link TooManyRequestsException}) is a refusal
     * with its {@code Retry-After}; any other exception ends the call and is thrown.
     *
     * @param what the call, as the log and the error name it, e.g. {@code jushuitan /open/shops/query}
     */
    public <T> T call(String what, Attempt<T> attempt) {
        long waited = 0;
        int refusals = 0;
        while (true) {
            CallBudget.Permit permit = acquire();
            Outcome<T> outcome;
            try {
                outcome = attempt.attempt();
            } catch (TooManyRequestsException e) {
                outcome = new Outcome.Refused<>(CallBudget.Limit.UNKNOWN, 0, retryAfterMillis(e.retryAfter()), "HTTP 429");
            } catch (RuntimeException | Error e) {
                permit.close(); // it may have reached the vendor: counted
                throw e;
            }
            if (outcome instanceof Outcome.Answered<T> answered) {
                permit.answered();
                return answered.value();
            }
            Outcome.Refused<T> refused = (Outcome.Refused<T>) outcome;
            permit.refused(refused.limit(), refused.vendorLimit());
            refusals++;
            long wait = backoff.apply(refusals);
            if (refused.retryAfterMillis() != null) {
                wait = Math.max(wait, Math.min(refused.retryAfterMillis(), policy.maxRetryAfter().toMillis()));
            }
            if (waited + wait > policy.maxWait().toMillis()) {
                throw new RateLimitExhaustedException(what + " kept answering " + refused.answer() + " for " + waited / 1000
                        + " s (" + refusals + " refusals), longer than its rate-limit-max-wait ("
                        + policy.maxWait().toSeconds() + " s); stopping this run early");
            }
            LOG.debug("{}: {} ({} of this call), asking again in {} ms", what, refused.answer(), refusals, wait);
            sleep(wait);
            waited += wait;
        }
    }

    private CallBudget.Permit acquire() {
        try {
            return budget.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the rate limit", e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting out the rate limit", e);
        }
    }

    /** A {@code Retry-After}: delta-seconds or an HTTP date (RFC 9110 §10.2.3); null when it says nothing usable. */
    public static Long retryAfterMillis(String retryAfter) {
        if (retryAfter == null) {
            return null;
        }
        String v = retryAfter.strip();
        if (v.matches("\\d{1,9}")) {
            return Long.parseLong(v) * 1000;
        }
        try {
            return Math.max(0, Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)).toMillis());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
