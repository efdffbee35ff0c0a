package io.ferry.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Ferry's throughput and memory benchmark (docs/benchmarks.md; run by scripts/bench.sh). For each N it starts the
 * Jushuitan simulator in a JVM of its own, then runs, each JVM with the same -Xmx:
 * <ol>
 * <li>{@code hand-written}: the minimal pipeline without Camel ({@link HandWrittenBenchmark}), the limit;</li>
 * <li>{@code ferry-first}: Ferry's jst-shops-to-mysql route into an empty table ({@link FerryBenchmark}), then
 * <li>{@code ferry-rerun}: the same route again, in the same running Ferry, over the fully synced source (everything
 * skipped);</li>
 * <li>{@code hand-written again}: the limit once more; the ratios are taken against the mean of the two.</li>
 * </ol>
 * Every variant gets a fresh MariaDB database that is dropped afterwards. Arguments: the record counts
 * (default 100000 1000000). System properties: bench.xmx (256m), bench.jfr (false: true records a JFR
 * profile per variant), bench.profiler and bench.profile (async-profiler's library and event), bench.jvmArgs (more
 * options for the measured JVMs), bench.out (target/bench), bench.mysql (jdbc:mysql://127.0.0.1:3306/).
 */
public final class Benchmark {

    static final String SERVER = System.getProperty("bench.mysql", "jdbc:mysql://127.0.0.1:3306/");
    private static final String XMX = System.getProperty("bench.xmx", "256m");
    private static final boolean JFR = Boolean.getBoolean("bench.jfr");
    /** More options for the measured JVMs, space-separated. */
    private static final String JVM_ARGS = System.getProperty("bench.jvmArgs", "").strip();
    /** async-profiler's library and the event it samples (cpu, wall, alloc); empty: no profiler. */
    private static final String PROFILER = System.getProperty("bench.profiler", "").strip();
    private static final String PROFILE_EVENT = System.getProperty("bench.profile", "cpu").strip();
    /** Pages the simulator serves before anything is measured. */
    private static final int WARM_UP_PAGES = 3000;
    static final Path OUT = Path.of(System.getProperty("bench.out", "target/bench"));
    static final String URL_OPTIONS = "?sslMode=DISABLED&allowPublicKeyRetrieval=true"
            + "&queryInterceptors=io.ferry.bench.CountingQueryInterceptor";

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String a : args) {
            sizes.add(Integer.parseInt(a.replace("_", "")));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(100_000, 1_000_000);
        }
        Files.createDirectories(OUT);
        Map<String, String> machine = machine();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int n : sizes) {
            rows.addAll(runAll(n));
        }
        machine.put("loadavg at end", loadavg());
        publish("results", report(machine, rows));
    }

    /** Prints a benchmark's report and keeps it in {@link #OUT}, as NAME-TIME.md. */
    static void publish(String name, String report) throws IOException {
        System.out.println();
        System.out.println(report);
        Path file = OUT.resolve(name + "-" + Instant.now().toString().replace(':', '-') + ".md");
        Files.writeString(file, report);
        System.out.println("(also in " + file + ")");
    }

    private static List<Map<String, Object>> runAll(int n) throws Exception {
        String key = "bench-app";
        String secret = random();
        String token = random();
        List<Map<String, Object>> rows = new ArrayList<>();
        Process sim = start(List.of("-Xmx1g", "-XX:+UseParallelGC",
                // without TCP_NODELAY the JDK server answers a page 40 ms late (Nagle against delayed ACK)
                "-Dsun.net.httpserver.nodelay=true", BenchSimulator.class.getName(), key, secret, token,
                String.valueOf(n)), null);
        BufferedReader simOut = new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8));
        String url = null;
        for (String line; (line = simOut.readLine()) != null;) {
            if (line.startsWith("LISTENING ")) {
                url = line.substring("LISTENING ".length());
                break;
            }
        }
        if (url == null) {
            throw new IllegalStateException("the simulator did not start");
        }
        System.out.printf("N=%,d: simulator (own JVM) at %s%n", n, url);
        warmUp(url, key, secret, token, n);
        String handDb = createDatabase();
        String ferryDb = createDatabase();
        String handAgainDb = createDatabase();
        try {
            // the limit is measured before and after Ferry, and their mean is the baseline: a change in the machine's
            // load during the run then moves both sides of the ratio
            rows.add(handWritten("hand-written", n, url, key, secret, token, handDb));

            // both Ferry runs in one JVM, as a running Ferry's scheduler triggers a sync again: the re-run does not
            // pay for the JIT compiling Camel's and Ferry's code a second time
            String ferryUrl = SERVER + ferryDb + URL_OPTIONS;
            List<Map<String, Object>> ferry = measure("ferry", n, FerryBenchmark.class, "ferry-first,ferry-rerun", url, key,
                    secret, token, ferryUrl);
            Map<String, Object> first = ferry.get(0);
            Map<String, Object> rerun = ferry.get(1);
            check(((Number) first.get("written")).longValue() == n, "ferry-first reports " + n + " written");
            check(((Number) rerun.get("skipped")).longValue() == n, "ferry-rerun skipped all " + n);
            check(((Number) rerun.get("written")).longValue() == 0, "ferry-rerun wrote nothing");
            check(count(ferryDb, "SELECT COUNT(*) FROM bi_shop") == n, "ferry wrote " + n + " rows");
            check(count(ferryDb, "SELECT COUNT(*) FROM ferry_synced_key") == n, "ferry marked " + n + " keys");
            check(count(ferryDb, "SELECT COUNT(*) FROM ferry_run") == 2, "ferry recorded 2 runs");
            rows.addAll(ferry);

            rows.add(handWritten("hand-written again", n, url, key, secret, token, handAgainDb));
        } finally {
            dropDatabase(handDb);
            dropDatabase(ferryDb);
            dropDatabase(handAgainDb);
            sim.getOutputStream().close();
            if (!sim.waitFor(10, TimeUnit.SECONDS)) {
                sim.destroy();
            }
        }
        double limit = limit(rows);
        for (Map<String, Object> r : rows) {
            r.put("ratio", Math.round(rate(r) / limit * 100) / 100.0);
        }
        return rows;
    }

    /**
     * Asks the simulator for pages until its JIT has compiled what answers them: otherwise the first variant
     * measured would share the machine with the simulator's compiler and the ones after it would not.
     */
    private static void warmUp(String url, String key, String secret, String token, int n) throws Exception {
        int pages = Math.max(1, Math.min(WARM_UP_PAGES, n / 100));
        long t0 = System.nanoTime();
        try (org.apache.hc.client5.http.impl.classic.CloseableHttpClient http =
                org.apache.hc.client5.http.impl.classic.HttpClients.createDefault()) {
            for (int i = 0; i < WARM_UP_PAGES; i++) {
                HandWrittenBenchmark.fetch(http, java.net.URI.create(url + "/open/shops/query"), key, secret, token, 1 + i % pages);
            }
        }
        System.out.printf("N=%,d: simulator warmed up with %,d pages in %.1f s%n", n, WARM_UP_PAGES, (System.nanoTime() - t0) / 1e9);
    }

    private static Map<String, Object> handWritten(String variant, int n, String url, String key, String secret, String token,
            String db) throws Exception {
        String handUrl = SERVER + db + URL_OPTIONS
                + "&rewriteBatchedStatements=true&useUnicode=true&characterEncoding=utf8&connectionTimeZone=LOCAL";
        Map<String, Object> hand = measure(variant.replace(' ', '-'), n, HandWrittenBenchmark.class, url, key, secret, token,
                handUrl).get(0);
        hand.put("variant", variant);
        check(count(db, "SELECT COUNT(*) FROM bi_shop") == n, variant + " wrote " + n + " rows");
        return hand;
    }

    /** The mean rate of the hand-written runs among these rows. */
    static double limit(List<Map<String, Object>> rows) {
        return rows.stream().filter(r -> String.valueOf(r.get("variant")).startsWith("hand-written"))
                .mapToDouble(Benchmark::rate).average().orElseThrow();
    }

    /** Runs one measured JVM; it reports one result per variant it ran (the Ferry JVM runs two). */
    static List<Map<String, Object>> measure(String name, int n, Class<?> main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("-Xmx" + XMX, "-Xlog:gc:file=" + OUT.resolve(name + "-" + n + "-gc.log")));
        if (JFR) {
            cmd.add("-XX:StartFlightRecording=filename=" + OUT.resolve(name + "-" + n + ".jfr") + ",settings=profile");
        }
        if (!PROFILER.isEmpty()) {
            // collapsed stacks, one line per distinct stack and thread (flame graph tools read them)
            cmd.add("-agentpath:" + PROFILER + "=start,event=" + PROFILE_EVENT + ",threads,file="
                    + OUT.resolve(name + "-" + n + "-" + PROFILE_EVENT + ".collapsed").toAbsolutePath());
        }
        if (!JVM_ARGS.isEmpty()) {
            cmd.addAll(List.of(JVM_ARGS.split("\\s+")));
        }
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        Path log = OUT.resolve(name + "-" + n + ".log");
        System.out.printf("N=%,d: %s (own JVM, -Xmx%s) … log %s%n", n, name, XMX, log);
        Process p = start(cmd, log);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(name + " exited with " + p.exitValue() + "; see " + log);
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith(BenchResult.PREFIX)) {
                Map<String, Object> result = BenchResult.parse(line);
                result.put("n", n);
                results.add(result);
                System.out.printf("N=%,d: %s: %,d records/s, %.1f s, peak heap %s MB%n", n, result.get("variant"),
                        ((Number) result.get("recordsPerSecond")).longValue(), ((Number) result.get("seconds")).doubleValue(),
                        result.get("peakHeapUsedMB"));
            }
        }
        if (results.isEmpty()) {
            throw new IllegalStateException(name + " reported no result; see " + log);
        }
        return results;
    }

    static Process start(List<String> jvmArgs, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.addAll(jvmArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (log != null) {
            pb.redirectOutput(log.toFile());
        }
        return pb.start();
    }

    private static double rate(Map<String, Object> r) {
        return ((Number) r.get("recordsPerSecond")).doubleValue();
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("check failed: " + what);
        }
    }

    @SuppressWarnings("unchecked")
    static String report(Map<String, String> machine, List<Map<String, Object>> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("Machine: ");
        machine.forEach((k, v) -> sb.append(k).append(' ').append(v).append("; "));
        sb.append("\n-Xmx").append(XMX).append(" per measured JVM (ferry-first and ferry-rerun share one); simulator in its own JVM.\n\n");
        sb.append("| N | variant | records/s | s | × limit | CPU ms/1000 rec | peak heap used MB | peak live MB | GCs (ms) "
                + "| state stmts/page | dedup/page | marks/page | run/page | target writes |\n");
        sb.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, Object> r : rows) {
            Map<String, Number> st = (Map<String, Number>) r.get("statements");
            double pages = Math.max(1, ((Number) r.get("pages")).doubleValue());
            long state = 0;
            for (StatementCounter.Kind k : StatementCounter.Kind.values()) {
                if (k.isState()) {
                    state += st.get(k.name()).longValue();
                }
            }
            sb.append(String.format("| %,d | %s | %,d | %.1f | %.2f | %s | %s | %s | %s (%s) | %.2f | %.2f | %.2f | %.3f | %,d |%n",
                    ((Number) r.get("n")).intValue(), r.get("variant"), ((Number) r.get("recordsPerSecond")).longValue(),
                    ((Number) r.get("seconds")).doubleValue(), ((Number) r.get("ratio")).doubleValue(),
                    r.get("cpuMsPer1000"), r.get("peakHeapUsedMB"), r.get("peakHeapLiveMB"), r.get("gcCount"), r.get("gcMillis"),
                    state / pages, st.get("DEDUP_QUERY").longValue() / pages, st.get("MARK").longValue() / pages,
                    st.get("RUN").longValue() / pages, st.get("TARGET_WRITE").longValue()));
        }
        sb.append("\n× limit: against the mean of the two hand-written runs of the same N.");
        sb.append("\nRe-run speed-up (ferry-rerun / ferry-first records/s):");
        Map<Object, Map<String, Double>> byN = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            byN.computeIfAbsent(r.get("n"), k -> new LinkedHashMap<>()).put(String.valueOf(r.get("variant")), rate(r));
        }
        byN.forEach((n, rates) -> {
            if (rates.containsKey("ferry-first") && rates.containsKey("ferry-rerun")) {
                sb.append(String.format(" N=%,d: %.1f×;", ((Number) n).intValue(), rates.get("ferry-rerun") / rates.get("ferry-first")));
            }
        });
        sb.append('\n');
        return sb.toString();
    }

    static Map<String, String> machine() throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("nproc", String.valueOf(Runtime.getRuntime().availableProcessors()));
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                m.put("memory", Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1048576.0 * 10) / 10.0 + " GiB");
            }
        }
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        try (Connection c = DriverManager.getConnection(SERVER + "?sslMode=DISABLED&allowPublicKeyRetrieval=true", "root", "");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT VERSION()")) {
            rs.next();
            m.put("MariaDB", rs.getString(1));
        }
        m.put("loadavg at start", loadavg());
        return m;
    }

    static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static String createDatabase() throws Exception {
        String name = "ferry_bench_" + random().substring(0, 12);
        exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
        return name;
    }

    static void dropDatabase(String name) {
        try {
            exec("DROP DATABASE IF EXISTS " + name);
        } catch (Exception e) {
            System.err.println("could not drop " + name + ": " + e);
        }
    }

    private static void exec(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(SERVER + "?sslMode=DISABLED&allowPublicKeyRetrieval=true", "root", "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static long count(String db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(SERVER + db + "?sslMode=DISABLED&allowPublicKeyRetrieval=true", "root", "");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String random() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

}
