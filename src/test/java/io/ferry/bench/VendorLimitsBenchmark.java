package io.ferry.bench;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every shipped sync against its simulator(s) with the vendors' limits on (docs/benchmarks.md, "At the vendors'
 * limits"; run by {@code scripts/bench.sh limits}, and after the CPU-bound comparison by {@code scripts/bench.sh}).
 * Real syncs are bound by the vendors' rate limits, not by Ferry's CPU: each sync runs once in a JVM of its own
 * ({@link VendorLimitsRun}) with a record count that makes it call past its limits, and the report sets the time it
 * took against the earliest time the limits allow for the calls it needed, with the calls the simulator refused.
 * <p>
 * The bound: the start of the last of N calls when each starts as early as the sliding windows allow,
 * t_0 = 0 and t_i = max(t_{i-1}, t_{i-perSecond} + 1 s, t_{i-perMinute} + 60 s). A limit on calls in flight adds
 * nothing to the bound while a sync keeps fewer calls in flight than it allows (a source asks for a page and reads
 * the next one ahead: two at most), so where only such a limit (or none that the calls reach) applies, the bound is
 * the CPU-bound time, not measured here. Kingdee and JellyFish publish no limit and are run without one.
 * <p>
 * Arguments: none (every sync at its default size), or {@code sync} / {@code sync=records} for some of them.
 */
public final class VendorLimitsBenchmark {

    /** Jushuitan's published limits per app (protocols.md §3.1). */
    static final int JST_PER_SECOND = 5;
    static final int JST_PER_MINUTE = 100;
    /** The Wangdiantong simulator's limits per app key: the vendor publishes no numbers (protocols.md §2.1). */
    static final int WDT_PER_MINUTE = 300;
    static final int WDT_IN_FLIGHT = 5;
    /** The JSON API's limit: the sync's own requests-per-second in application.properties. */
    static final int JSON_API_PER_SECOND = 10;

    /** Each sync's records: enough calls to pass its limits, the whole under about eight minutes. */
    static final Map<String, Integer> SIZES = new LinkedHashMap<>();

    static {
        SIZES.put("jst-shops-to-mysql", 20_000); // 200 pages of 100: 79 s
        SIZES.put("jst-orders-to-mysql", 12_000); // five 7-day windows, ~122 pages of 100: ~64 s
        SIZES.put("wdt-shops-to-kingdee-customers", 16_000); // 320 pages of 50: 60 s
        SIZES.put("wdt-trades-to-mysql", 32_000); // seven 60-minute windows, ~325 pages of 100: 60 s
        SIZES.put("jsonapi-orders-to-mysql", 30_000); // 300 pages of 100: 29 s
        SIZES.put("kingdee-customers-to-mysql", 10_000); // no published limit
        SIZES.put("jellyfish-a-to-b", 2_000); // no published limit; one push per record
    }

    private VendorLimitsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> runs = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            String sync = eq < 0 ? a : a.substring(0, eq);
            if (!SIZES.containsKey(sync)) {
                throw new IllegalArgumentException("not a shipped sync: " + sync + " (one of " + SIZES.keySet() + ")");
            }
            runs.put(sync, eq < 0 ? SIZES.get(sync) : Integer.parseInt(a.substring(eq + 1).replace("_", "")));
        }
        if (runs.isEmpty()) {
            runs.putAll(SIZES);
        }
        Files.createDirectories(Benchmark.OUT);
        Map<String, String> machine = Benchmark.machine();
        List<Map<String, Object>> rows = new ArrayList<>();
        boolean allChecked = true;
        for (Map.Entry<String, Integer> e : runs.entrySet()) {
            Map<String, Object> row;
            try {
                row = Benchmark.measure("limits-" + e.getKey(), e.getValue(), VendorLimitsRun.class, e.getKey(),
                        String.valueOf(e.getValue())).get(0);
            } catch (IllegalStateException failed) {
                row = new LinkedHashMap<>(Map.of("sync", e.getKey(), "n", e.getValue(), "checks", failed.getMessage()));
            }
            allChecked &= "ok".equals(row.get("checks"));
            rows.add(row);
        }
        machine.put("loadavg at end", Benchmark.loadavg());
        Benchmark.publish("limits-results", report(machine, rows));
        System.exit(allChecked ? 0 : 1);
    }

    /**
     * The earliest start, in seconds from the first, of the last of {@code calls} calls under at most
     * {@code perSecond} calls in any second and {@code perMinute} in any minute (sliding; 0 is no limit).
     */
    static long boundSeconds(long calls, int perSecond, int perMinute) {
        if (calls <= 0) {
            return 0;
        }
        long[] t = new long[Math.toIntExact(calls)];
        for (int i = 1; i < t.length; i++) {
            t[i] = t[i - 1];
            if (perSecond > 0 && i >= perSecond) {
                t[i] = Math.max(t[i], t[i - perSecond] + 1);
            }
            if (perMinute > 0 && i >= perMinute) {
                t[i] = Math.max(t[i], t[i - perMinute] + 60);
            }
        }
        return t[t.length - 1];
    }

    static String limits(Map<String, Object> r) {
        List<String> l = new ArrayList<>();
        if (num(r, "perSecond") > 0) {
            l.add(num(r, "perSecond") + "/s");
        }
        if (num(r, "perMinute") > 0) {
            l.add(num(r, "perMinute") + "/min");
        }
        if (num(r, "inFlight") > 0) {
            l.add(num(r, "inFlight") + " in flight");
        }
        return l.isEmpty() ? "none" : String.join(", ", l);
    }

    static String report(Map<String, String> machine, List<Map<String, Object>> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("Machine: ");
        machine.forEach((k, v) -> sb.append(k).append(' ').append(v).append("; "));
        sb.append("\nEach sync once in a JVM of its own with its simulator(s), -Xmx").append(System.getProperty("bench.xmx", "256m"))
                .append("; Ferry with application.properties as shipped.\n\n");
        sb.append("| sync | limits (simulator) | records | calls answered | refused (simulator) | bound s | achieved s "
                + "| × bound | written, checked | limits from |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---|---|\n");
        List<String> notes = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            if (!r.containsKey("seconds")) {
                sb.append(String.format(Locale.ROOT, "| %s | | %,d | | | | | | %s | |%n", r.get("sync"), num(r, "n"), r.get("checks")));
                continue;
            }
            long calls = num(r, "answered");
            double secs = ((Number) r.get("seconds")).doubleValue();
            String bound;
            String ratio;
            if (num(r, "perSecond") == 0 && num(r, "perMinute") == 0) {
                bound = "—";
                ratio = "—";
            } else {
                long b = boundSeconds(calls, (int) num(r, "perSecond"), (int) num(r, "perMinute"));
                bound = b == 0 ? "CPU" : String.valueOf(b);
                ratio = b == 0 ? "—" : String.format(Locale.ROOT, "%.2f", secs / b);
            }
            String refused = String.format(Locale.ROOT, "%,d", num(r, "refused"));
            if (r.containsKey("refusedInFlight")) {
                refused += String.format(Locale.ROOT, " (%,d in flight; most in flight %d)", num(r, "refusedInFlight"),
                        num(r, "mostInFlight"));
            }
            String written = String.format(Locale.ROOT, "%,d, %s", num(r, "written"), r.get("checks"));
            sb.append(String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %s | %s | %.1f | %s | %s | %s |%n", r.get("sync"), limits(r),
                    num(r, "n"), calls, refused, bound, secs, ratio, written, r.get("limitNote")));
            if (r.containsKey("otherCalls")) {
                notes.add(r.get("sync") + ": also " + r.get("otherCalls") + ".");
            }
        }
        sb.append("\nbound: the earliest start of the last of the calls answered, each call as early as the sliding windows "
                + "allow (t_i = max(t_{i-1}, t_{i-perSecond} + 1 s, t_{i-perMinute} + 60 s)); a limit of calls in flight "
                + "adds nothing while the sync keeps fewer in flight (most in flight: as the simulator saw). "
                + "— : no published limit, measured without one. "
                + "CPU: the calls reach no window's limit, so the bound is the CPU-bound time (not measured here).\n");
        notes.forEach(n -> sb.append(n).append('\n'));
        return sb.toString();
    }

    private static long num(Map<String, Object> r, String key) {
        Object v = r.get(key);
        return v == null ? 0 : ((Number) v).longValue();
    }
}
