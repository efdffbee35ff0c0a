package io.ferry.http;

import java.util.ArrayDeque;
import java.util.Deque;

import io.ferry.kernel.Records;

/**
 * Keeps calls under a vendor's limits: at most {@code perSecond} calls in any one second and {@code perMinute}
 * in any one minute (sliding windows). {@link #acquire()} blocks until a call is allowed. A limit of 0 is off.
 * <p>
 * A client passes a margin: its calls reach the vendor a little later than it counts them, and unevenly, so
 * windows measured at the client must be a little longer than the vendor's to stay under them there.
 */
public class RateLimiter {

    private final int perSecond;
    private final int perMinute;
    private final long second;
    private final long minute;
    private final Deque<Long> calls = new ArrayDeque<>();

    /** Exact windows, as a server enforces them. */
    public RateLimiter(int perSecond, int perMinute) {
        this(perSecond, perMinute, 0);
    }

    /** Windows of one second and one minute, each lengthened by {@code marginMillis}. */
    public RateLimiter(int perSecond, int perMinute, long marginMillis) {
        this.perSecond = perSecond;
        this.perMinute = perMinute;
        this.second = 1_000_000_000L + marginMillis * 1_000_000L;
        this.minute = 60_000_000_000L + marginMillis * 1_000_000L;
    }

    public synchronized void acquire() throws InterruptedException {
        while (true) {
            long wait = waitNanos(System.nanoTime());
            if (wait <= 0) {
                return;
            }
            long ms = wait / 1_000_000;
            wait((ms == 0 ? 1 : ms) + 1);
        }
    }

    /** Takes a call if one is allowed now (a server enforcing the limit uses this). */
    public synchronized boolean tryAcquire() {
        return waitNanos(System.nanoTime()) <= 0;
    }

    /** Records a call and returns 0 when one is allowed at {@code now}, else how long to wait. */
    private long waitNanos(long now) {
        while (!calls.isEmpty() && now - calls.peekFirst() >= minute) {
            calls.pollFirst();
        }
        long wait = 0;
        if (perMinute > 0 && calls.size() >= perMinute) {
            wait = calls.peekFirst() + minute - now;
        }
        if (perSecond > 0) {
            int inLastSecond = 0;
            long oldestInSecond = 0;
            for (var it = calls.descendingIterator(); it.hasNext();) {
                long t = it.next();
                if (now - t >= second) {
                    break;
                }
                inLastSecond++;
                oldestInSecond = t;
            }
            if (inLastSecond >= perSecond) {
                wait = Math.max(wait, oldestInSecond + second - now);
            }
        }
        if (wait <= 0) {
            calls.addLast(now);
            if (perMinute <= 0 && calls.size() > Math.max(perSecond, 1)) {
                calls.pollFirst();
            }
        }
        return wait;
    }
}
