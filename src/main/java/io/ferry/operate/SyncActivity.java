package io.ferry.operate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ferry.pipeline.SyncRegistry;
import io.ferry.pipeline.SyncRun;
import io.ferry.state.ApiCallRepository;
import io.ferry.state.FerryState;
import io.ferry.state.RunRepository.RunRecord;

/**
 * A sync's activity over a span, per minute, for the console's chart: records read and written (each run's counts
 * spread evenly over the minutes it ran: the run rows hold totals, not times per record), records dead-lettered (when
 * each first failed) and vendor calls that failed (when each was made).
 */
public final class SyncActivity {

    /** rows one chart reads at most from each table */
    static final int MAX_ROWS = 50_000;

    private SyncActivity() {
    }

    public static Map<String, Object> of(FerryState state, ApiCallRepository calls, SyncRegistry syncs, String sync,
            Duration span, Instant now) {
        long minute = 60_000;
        long end = (now.toEpochMilli() / minute + 1) * minute;
        int n = (int) Math.max(1, span.toMinutes());
        long start = end - n * minute;
        double[] read = new double[n];
        double[] written = new double[n];
        int[] deadLettered = new int[n];
        int[] failedCalls = new int[n];
        SyncRun live = syncs.current(sync);
        for (RunRecord r : state.runs().since(sync, Instant.ofEpochMilli(start), MAX_ROWS)) {
            RunRecord counts = live != null && live.runId() == r.id() ? live.record() : r;
            long from = r.startedAt().toEpochMilli();
            long to = r.endedAt() == null ? now.toEpochMilli() : r.endedAt().toEpochMilli();
            spread(read, counts.read(), from, to, start, minute);
            spread(written, counts.written(), from, to, start, minute);
        }
        count(deadLettered, state.deadLetters().failedSince(sync, Instant.ofEpochMilli(start), MAX_ROWS), start, minute);
        count(failedCalls, calls.failedSince(sync, Instant.ofEpochMilli(start), MAX_ROWS), start, minute);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sync", sync);
        m.put("from", Instant.ofEpochMilli(start).toString());
        m.put("minutes", n);
        m.put("read", rounded(read));
        m.put("written", rounded(written));
        m.put("deadLettered", deadLettered);
        m.put("failedCalls", failedCalls);
        return m;
    }

    /** Adds {@code count} over [from, to] to the minutes it overlaps, in proportion to the time in each. */
    static void spread(double[] buckets, int count, long from, long to, long start, long minute) {
        if (count == 0) {
            return;
        }
        long length = Math.max(1, to - from);
        // only the minutes it overlaps
        int first = (int) Math.max(0, Math.floorDiv(from - start, minute));
        int last = (int) Math.min(buckets.length - 1, Math.floorDiv(Math.max(to, from + 1) - 1 - start, minute));
        for (int i = first; i <= last; i++) {
            long b0 = start + i * minute;
            long overlap = Math.min(b0 + minute, Math.max(to, from + 1)) - Math.max(b0, from);
            if (overlap > 0) {
                buckets[i] += count * (double) overlap / length;
            }
        }
    }

    private static void count(int[] buckets, List<Instant> times, long start, long minute) {
        for (Instant t : times) {
            int i = (int) ((t.toEpochMilli() - start) / minute);
            if (i >= 0 && i < buckets.length) {
                buckets[i]++;
            }
        }
    }

    /** Whole numbers that add up to the rounded sum of {@code v} (each minute rounded alone could not). */
    static long[] rounded(double[] v) {
        long[] out = new long[v.length];
        double sum = 0;
        long before = 0;
        for (int i = 0; i < v.length; i++) {
            sum += v[i];
            long upTo = Math.round(sum);
            out[i] = upTo - before;
            before = upTo;
        }
        return out;
    }
}
