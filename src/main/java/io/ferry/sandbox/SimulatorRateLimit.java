package io.ferry.sandbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A vendor's call limit as its server applies it: at most {@code limit} calls per key (the app) in any window of
 * the given length, counted over a sliding window. A refused call is not counted, so a client that waits the
 * window out gets in again. A limit of 0 or less refuses nothing.
 */
final class SimulatorRateLimit {

    private final int limit;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    /** key → the times of its counted calls in the current window, oldest first */
    private final Map<String, Deque<Long>> calls = new HashMap<>();

    SimulatorRateLimit(int limit, Duration window) {
        this(limit, window, System::nanoTime);
    }

    SimulatorRateLimit(int limit, Duration window, LongSupplier nanoClock) {
        this.limit = limit;
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Counts a call of {@code key} and returns true if the limit allows it now; false (and not counted) if not. */
    synchronized boolean allow(String key) {
        if (limit <= 0) {
            return true;
        }
        long now = nanoClock.getAsLong();
        Deque<Long> times = calls.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (!times.isEmpty() && now - times.peekFirst() >= windowNanos) {
            times.pollFirst();
        }
        if (times.size() >= limit) {
            return false;
        }
        times.addLast(now);
        return true;
    }
}
