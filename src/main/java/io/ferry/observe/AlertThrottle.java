package io.ferry.observe;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The same alert (kind and sync) goes out at most once per window; a schedule that keeps failing does not flood the channel. */
public class AlertThrottle {

    private final long windowNanos;
    private final Map<String, Long> lastSent = new ConcurrentHashMap<>();

    public AlertThrottle(Duration window) {
        this.windowNanos = window.toNanos();
    }

    /** True when the alert may go out now (and remembers that it did). */
    public boolean allow(String key) {
        long now = System.nanoTime();
        boolean[] allowed = { false };
        lastSent.compute(key, (k, before) -> {
            if (before == null || now - before >= windowNanos) {
                allowed[0] = true;
                return now;
            }
            return before;
        });
        return allowed[0];
    }
}
