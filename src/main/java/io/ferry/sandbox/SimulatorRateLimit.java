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
        if (!hasRoom(key)) {
            return false;
        }
        count(key);
        return true;
    }

    /**
     * A call of {@code key} against several limits at once (e.g. per second and per minute): when every one allows
     * it, it is counted in each and null is returned; otherwise the first limit that refuses it is returned and the
     * call is counted in none, as a vendor counts no refused call in any of its windows.
     */
    static SimulatorRateLimit refusing(String key, SimulatorRateLimit... limits) {
        synchronized (SimulatorRateLimit.class) {
            for (SimulatorRateLimit l : limits) {
                if (!l.hasRoom(key)) {
                    return l;
                }
            }
            for (SimulatorRateLimit l : limits) {
                l.count(key);
            }
            return null;
        }
    }

    /** How long until a call of {@code key} would be allowed: 0 when it would be now. */
    synchronized long nanosUntilRoom(String key) {
        if (hasRoom(key)) {
            return 0;
        }
        return calls.get(key).peekFirst() + windowNanos - nanoClock.getAsLong();
    }

    private synchronized boolean hasRoom(String key) {
        if (limit <= 0) {
            return true;
        }
        long now = nanoClock.getAsLong();
        Deque<Long> times = calls.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (!times.isEmpty() && now - times.peekFirst() >= windowNanos) {
            times.pollFirst();
        }
        return times.size() < limit;
    }

    private synchronized void count(String key) {
        if (limit > 0) {
            calls.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(nanoClock.getAsLong());
        }
    }
}
