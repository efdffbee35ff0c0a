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
 * Jushuitan simulator in a JVM of its own, then runs, each in a fresh JVM with the same -Xmx:
 * <ol>
 * <li>{@code hand-written}: the minimal pipeline without Camel ({@link HandWrittenBenchmark}), the limit;</li>
 * <li>{@code ferry-first}: Ferry's jst-shops-to-mysql route into an empty table ({@link FerryBenchmark});</li>
 * <li>{@code ferry-rerun}: the same route again over the fully synced source (everything skipped).</li>
 * </ol>
 * Every variant gets a fresh MariaDB database that is dropped afterwards. Arguments: the record counts
 * (default 100000 1000000). System properties: bench.xmx (256m), bench.jfr (false: true records a JFR
 * profile per variant), bench.out (target/bench), bench.mysql (jdbc:mysql://127.0.0.1:3306/).
 */
public final class Benchmark {

    private static final String SERVER = System.getProperty("bench.mysql", "jdbc:mysql://127.0.0.1:3306/");
    private static final String XMX = System.getProperty("bench.xmx", "256m");
    private static final boolean JFR = Boolean.getBoolean("bench.jfr");
    private static final Path OUT = Path.of(System.getProperty("bench.out", "target/bench"));
    private static final String URL_OPTIONS = "?sslMode=DISABLED&allowPublicKeyRetrieval=true"
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
        String report = report(machine, rows);
        System.out.println();
        System.out.println(report);
        Path file = OUT.resolve("results-" + Instant.now().toString().replace(':', '-') + ".md");
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
        String handDb = createDatabase();
        String ferryDb = createDatabase();
        try {
            String handUrl = SERVER + handDb + URL_OPTIONS
                    + "&rewriteBatchedStatements=true&useUnicode=true&characterEncoding=utf8&connectionTimeZone=LOCAL";
            Map<String, Object> hand = measure("hand-written", n, HandWrittenBenchmark.class, url, key, secret, token, handUrl);
            check(count(handDb, "SELECT COUNT(*) FROM bi_shop") == n, "hand-written wrote " + n + " rows");
            rows.add(hand);

            String ferryUrl = SERVER + ferryDb + URL_OPTIONS;
            Map<String, Object> first = measure("ferry-first", n, FerryBenchmark.class, "ferry-first", url, key, secret, token, ferryUrl);
            check(count(ferryDb, "SELECT COUNT(*) FROM bi_shop") == n, "ferry-first wrote " + n + " rows");
            check(count(ferryDb, "SELECT COUNT(*) FROM ferry_synced_key") == n, "ferry-first marked " + n + " keys");
            check(((Number) first.get("written")).longValue() == n, "ferry-first reports " + n + " written");
            rows.add(first);

            Map<String, Object> rerun = measure("ferry-rerun", n, FerryBenchmark.class, "ferry-rerun", url, key, secret, token, ferryUrl);
            check(((Number) rerun.get("skipped")).longValue() == n, "ferry-rerun skipped all " + n);
            check(((Number) rerun.get("written")).longValue() == 0, "ferry-rerun wrote nothing");
            rows.add(rerun);
        } finally {
            dropDatabase(handDb);
            dropDatabase(ferryDb);
            sim.getOutputStream().close();
            if (!sim.waitFor(10, TimeUnit.SECONDS)) {
                sim.destroy();
            }
        }
        double limit = rate(rows.get(0));
        for (Map<String, Object> r : rows) {
            r.put("ratio", Math.round(rate(r) / limit * 100) / 100.0);
        }
        return rows;
    }

    private static Map<String, Object> measure(String variant, int n, Class<?> main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("-Xmx" + XMX, "-Xlog:gc:file=" + OUT.resolve(variant + "-" + n + "-gc.log")));
        if (JFR) {
            cmd.add("-XX:StartFlightRecording=filename=" + OUT.resolve(variant + "-" + n + ".jfr") + ",settings=profile");
        }
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        Path log = OUT.resolve(variant + "-" + n + ".log");
        System.out.printf("N=%,d: %s (own JVM, -Xmx%s) … log %s%n", n, variant, XMX, log);
        Process p = start(cmd, log);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(variant + " exited with " + p.exitValue() + "; see " + log);
        }
        Map<String, Object> result = null;
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith(BenchResult.PREFIX)) {
                result = BenchResult.parse(line);
            }
        }
        if (result == null) {
            throw new IllegalStateException(variant + " reported no result; see " + log);
        }
        result.put("variant", variant);
        result.put("n", n);
        System.out.printf("N=%,d: %s: %,d records/s, %.1f s, peak heap %s MB%n", n, variant,
                ((Number) result.get("recordsPerSecond")).longValue(), ((Number) result.get("seconds")).doubleValue(),
                result.get("peakHeapUsedMB"));
        return result;
    }

    private static Process start(List<String> jvmArgs, Path log) throws IOException {
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

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("check failed: " + what);
        }
    }

    @SuppressWarnings("unchecked")
    static String report(Map<String, String> machine, List<Map<String, Object>> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("Machine: ");
        machine.forEach((k, v) -> sb.append(k).append(' ').append(v).append("; "));
        sb.append("\n-Xmx").append(XMX).append(" per measured JVM; simulator in its own JVM.\n\n");
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
        sb.append("\nRe-run speed-up (ferry-rerun / ferry-first records/s):");
        for (int i = 0; i + 2 < rows.size(); i += 3) {
            sb.append(String.format(" N=%,d: %.1f×;", ((Number) rows.get(i).get("n")).intValue(),
                    rate(rows.get(i + 2)) / rate(rows.get(i + 1))));
        }
        sb.append('\n');
        return sb.toString();
    }

    private static Map<String, String> machine() throws Exception {
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

    private static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static String createDatabase() throws Exception {
        String name = "ferry_bench_" + random().substring(0, 12);
        exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
        return name;
    }

    private static void dropDatabase(String name) {
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

    private static long count(String db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(SERVER + db + "?sslMode=DISABLED&allowPublicKeyRetrieval=true", "root", "");
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String random() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

}
