package io.ferry.sandbox;

import java.util.HashMap;
import java.util.Map;

/**
 * A vendor's limit on calls in flight at once per key (the app): a call holds its place from the moment it is let in
 * until it is answered (its answer about to be written); a refused call holds none. A limit of 0 or less refuses nothing. The caller holds its
 * own lock around {@link #full} and the {@link #enter} that follows, so that no other call slips in between.
 */
final class SimulatorConcurrencyLimit {

    private int limit;
    private final Map<String, Integer> inFlight = new HashMap<>();
    private int mostInFlight;

    SimulatorConcurrencyLimit(int limit) {
        this.limit = limit;
    }

    synchronized void limit(int calls) {
        this.limit = calls;
    }

    /** Whether {@code limit} calls of {@code key} are in flight, so that one more would be refused. */
    synchronized boolean full(String key) {
        return limit > 0 && inFlight.getOrDefault(key, 0) >= limit;
    }

    /** A call of {@code key} is let in: it is in flight until {@link #leave}. */
    synchronized void enter(String key) {
        int n = inFlight.merge(key, 1, Integer::sum);
        mostInFlight = Math.max(mostInFlight, n);
    }

    /** The call let in by {@link #enter} has been answered. */
    synchronized void leave(String key) {
        inFlight.merge(key, -1, Integer::sum);
    }

    /** The most calls of one key that were in flight at once. */
    synchronized int mostInFlight() {
        return mostInFlight;
    }
}
