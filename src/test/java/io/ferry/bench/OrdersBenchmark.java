package io.ferry.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * jst-orders-to-mysql at Jushuitan's limits (docs/benchmarks.md, "Orders at the vendor's limit"; run by
 * {@code scripts/bench.sh orders [N]}). N orders with their items, first modified over the last 30 days (five 7-day
 * windows), served by the simulator in a JVM of its own with its rate limits on (5 calls/s, 100 calls/min). Measured,
 * each in a JVM of its own and a fresh database:
 * <ol>
 * <li>{@code hand-written}: the same windows and pages without Camel, as fast as the limits allow
 * ({@link HandWrittenOrdersBenchmark}): the ceiling a client can reach;</li>
 * <li>{@code ferry}: Ferry's own route, with the client-side limits of application.properties ({@link FerryBenchmark}).</li>
 * </ol>
 * Between the two the benchmark waits until the vendor's minute is empty again, so each starts as a sync does after a
 * quiet minute. Reported: records/s, calls/min (counted by the simulator), calls refused, the ratio to the hand-written
 * run and to the arithmetic bound of 100 calls/min × 100 orders.
 * <p>
 * Arguments: N (default 20000).
 */
public final class OrdersBenchmark {

    static final String SYNC = "jst-orders-to-mysql";
    /** Jushuitan's published limits (protocols.md §3) and its largest page. */
    static final int PER_SECOND = 5;
    static final int PER_MINUTE = 100;
    static final int PAGE = 100;
    /** 100 calls/min × 100 orders per call. */
    static final double STEADY_BOUND = PER_MINUTE * PAGE / 60.0;
    private static final Duration SPAN = Duration.ofDays(30);

    private OrdersBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 20_000;
        Files.createDirectories(Benchmark.OUT);
        Map<String, String> machine = Benchmark.machine();
        String key = "bench-app";
        String secret = Benchmark.random();
        String token = Benchmark.random();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant windowStart = now.minus(SPAN);
        Process sim = Benchmark.start(List.of("-Xmx1g", "-XX:+UseParallelGC", "-Dsun.net.httpserver.nodelay=true",
                BenchOrdersSimulator.class.getName(), key, secret, token, String.valueOf(n),
                String.valueOf(windowStart.getEpochSecond()), String.valueOf(now.minusSeconds(60).getEpochSecond())), null);
        BufferedReader simOut = new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8));
        PrintStream simIn = new PrintStream(sim.getOutputStream(), true, StandardCharsets.UTF_8);
        String url = null;
        long items = -1;
        for (String line; items < 0 && (line = simOut.readLine()) != null;) {
            if (line.startsWith("LISTENING ")) {
                url = line.substring("LISTENING ".length());
            } else if (line.startsWith("ORDERS ")) {
                String[] f = line.split(" ");
                Benchmark.check(Long.parseLong(f[1]) == n, "the simulator holds " + n + " orders");
                items = Long.parseLong(f[2]);
            }
        }
        if (url == null || items < 0) {
            throw new IllegalStateException("the simulator did not start");
        }
        System.out.printf("N=%,d orders, %,d items, modified over %d days from %s: simulator (own JVM, 5 calls/s, 100 calls/min) at %s%n",
                n, items, SPAN.toDays(), windowStart, url);
        List<Map<String, Object>> rows = new ArrayList<>();
        String handDb = Benchmark.createDatabase();
        String ferryDb = Benchmark.createDatabase();
        try {
            long[] before = stats(simIn, simOut);
            Map<String, Object> hand = Benchmark.measure("orders-hand-written", n, HandWrittenOrdersBenchmark.class, url, key,
                    secret, token, Benchmark.SERVER + handDb + Benchmark.URL_OPTIONS + "&rewriteBatchedStatements=true",
                    String.valueOf(windowStart.getEpochSecond())).get(0);
            calls(hand, before, stats(simIn, simOut));
            checkTables(handDb, n, items, "hand-written");
            rows.add(hand);

            // the vendor's minute empties before the next variant: both start from the same state of its windows
            System.out.println("waiting 61 s for the vendor's minute to empty");
            Thread.sleep(61_000);

            before = stats(simIn, simOut);
            Map<String, Object> ferry = Benchmark.measure("orders-ferry", n, FerryBenchmark.class, "ferry", url, key, secret, token,
                    Benchmark.SERVER + ferryDb + Benchmark.URL_OPTIONS, SYNC,
                    // the client-side limits as shipped (the shop benchmark turns them off)
                    "camel.component.jushuitan.requests-per-second=" + PER_SECOND,
                    "camel.component.jushuitan.requests-per-minute=" + PER_MINUTE,
                    "ferry.sync." + SYNC + ".window-start=" + java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(windowStart.atOffset(ZoneOffset.ofHours(8)))).get(0);
            calls(ferry, before, stats(simIn, simOut));
            Benchmark.check("succeeded".equals(ferry.get("status")), "ferry's run succeeded: " + ferry.get("status"));
            Benchmark.check(((Number) ferry.get("written")).longValue() == n, "ferry reports " + n + " written");
            checkTables(ferryDb, n, items, "ferry");
            Benchmark.check(Benchmark.count(ferryDb, "SELECT COUNT(*) FROM ferry_synced_key") == n, "ferry marked " + n + " keys");
            rows.add(ferry);
        } finally {
            Benchmark.dropDatabase(handDb);
            Benchmark.dropDatabase(ferryDb);
            simIn.close();
            if (!sim.waitFor(10, TimeUnit.SECONDS)) {
                sim.destroy();
            }
        }
        machine.put("loadavg at end", Benchmark.loadavg());
        Benchmark.publish("orders-results", report(machine, n, items, rows));
    }

    /** The simulator's counters now: order queries answered, calls refused by its rate limit. */
    private static long[] stats(PrintStream simIn, BufferedReader simOut) throws Exception {
        simIn.println("STATS");
        for (String line; (line = simOut.readLine()) != null;) {
            if (line.startsWith("STATS ")) {
                String[] f = line.split(" ");
                return new long[] { Long.parseLong(f[1]), Long.parseLong(f[2]) };
            }
        }
        throw new IllegalStateException("the simulator ended");
    }

    private static void calls(Map<String, Object> row, long[] before, long[] after) {
        row.put("answered", after[0] - before[0]);
        row.put("refusedBySimulator", after[1] - before[1]);
    }

    private static void checkTables(String db, int n, long items, String variant) throws Exception {
        Benchmark.check(Benchmark.count(db, "SELECT COUNT(*) FROM bi_order") == n, variant + " wrote " + n + " orders");
        Benchmark.check(Benchmark.count(db, "SELECT COUNT(*) FROM bi_order_item") == items, variant + " wrote " + items + " items");
    }

    /**
     * When the last of {@code calls} calls can start at the earliest, from empty windows: at most 5 calls in any second
     * and 100 in any minute put call k (from 0) at 60·⌊k/100⌋ + ⌊(k mod 100)/5⌋ seconds.
     */
    static long earliestLastCallSecond(long calls) {
        long k = calls - 1;
        return 60 * (k / PER_MINUTE) + (k % PER_MINUTE) / PER_SECOND;
    }

    static String report(Map<String, String> machine, int n, long items, List<Map<String, Object>> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("Machine: ");
        machine.forEach((k, v) -> sb.append(k).append(' ').append(v).append("; "));
        sb.append(String.format(Locale.ROOT, "%n%s over %,d orders (%,d items), Jushuitan's limits on (%d calls/s, %d calls/min).%n%n",
                SYNC, n, items, PER_SECOND, PER_MINUTE));
        // records/s: orders delivered (N) per second; a run reads an order at a window's bound twice
        double ceiling = n / ((Number) rows.get(0).get("seconds")).doubleValue();
        sb.append("| variant | records/s | s | calls answered | calls/min | refused (simulator) | × hand-written | × 100 calls/min × 100 "
                + "| CPU ms/1000 rec | peak heap used MB |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, Object> r : rows) {
            double secs = ((Number) r.get("seconds")).doubleValue();
            double rate = n / secs;
            long answered = ((Number) r.get("answered")).longValue();
            sb.append(String.format(Locale.ROOT, "| %s | %,.1f | %.1f | %,d | %.1f | %,d | %.2f | %.2f | %s | %s |%n", r.get("variant"),
                    rate, secs, answered, answered / secs * 60,
                    ((Number) r.get("refusedBySimulator")).longValue(), rate / ceiling, rate / STEADY_BOUND,
                    r.get("cpuMsPer1000"), r.get("peakHeapUsedMB")));
        }
        long calls = ((Number) rows.get(0).get("answered")).longValue();
        long last = earliestLastCallSecond(calls);
        sb.append(String.format(Locale.ROOT, "%n× hand-written: against the hand-written run of the same command (the ceiling a client "
                + "reaches under the limits).%n× 100 calls/min × 100: against %.1f records/s, the vendor's steady-state bound; "
                + "a run of %,d calls from a quiet minute can start its last call after %d s at the earliest (%,.1f records/s "
                + "for N orders), so a short run may pass the steady bound.%n", STEADY_BOUND, calls, last,
                last == 0 ? Double.POSITIVE_INFINITY : n / (double) last));
        return sb.toString();
    }
}
