package io.ferry.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.curator.test.TestingServer;

import io.ferry.sandbox.Sandbox;
import io.ferry.support.ClusterSettings;
import io.ferry.support.KillableFerry;
import io.ferry.support.TestDatabases;

/**
 * How many syncs one replica keeps on schedule, and how long a second replica takes to take them all over when the
 * first is killed (docs/scaling.md, "Measured: syncs per replica"; run by {@code scripts/bench.sh replica}).
 * <p>
 * For each N: N copies of jst-shops-to-mysql ({@code shops-1} … {@code shops-N}, each into a table of its own) against
 * one Jushuitan simulator with its rate limit off and Ferry's pacing off (what is measured is Ferry, not the vendor),
 * each on a cron every {@code bench.period} seconds, staggered one second apart, in one {@code ferry run} JVM
 * (-Xmx256m, the deployments' ZooKeeper cluster service, sessionTimeout 10 s, shared budgets, the shipped heartbeat).
 * Once every copy has had a run, {@code bench.window} seconds are measured while {@code bench.changes} new shops
 * arrive every period (each run reads the whole source, skips what it has and writes the new ones): the runs opened
 * against the cron's ticks, how late each started after its tick, how long it took, the replica's CPU and the
 * machine's. A second replica is then started, the first killed with SIGKILL, and for every sync the time to the new
 * leader's lead and to its first run is measured.
 * <p>
 * Arguments: the Ns (default 8 16 32 64 128); it stops after the first N that falls behind its schedule.
 */
public final class SyncsPerReplicaBenchmark {

    static final int PERIOD = Integer.getInteger("bench.period", 10);
    static final int WINDOW = Integer.getInteger("bench.window", 60);
    static final int RECORDS = Integer.getInteger("bench.records", 500);
    static final int CHANGES = Integer.getInteger("bench.changes", 10);
    /** On schedule: at least this share of the ticks opened a run, and the 95th percentile start is this close to its tick. */
    static final double RUNS_SHARE = 0.98;
    static final double LATE_P95_SECONDS = 2.0;

    private SyncsPerReplicaBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String a : args) {
            sizes.add(Integer.parseInt(a));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(8, 16, 32, 64, 128);
        }
        Files.createDirectories(Benchmark.OUT);
        Map<String, String> machine = Benchmark.machine();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int n : sizes) {
            Map<String, Object> row = measure(n);
            rows.add(row);
            System.out.println("syncs per replica: " + row);
            if (!Boolean.TRUE.equals(row.get("onSchedule"))) {
                break;
            }
        }
        machine.put("loadavg at end", Benchmark.loadavg());
        Benchmark.publish("replica-results", report(machine, rows));
    }

    static Map<String, Object> measure(int n) throws Exception {
        String url = TestDatabases.newMysqlDatabase();
        // the BI tables in a database of their own: the state database's migrations want an empty one
        String bi = TestDatabases.newMysqlDatabase();
        List<Process> processes = new ArrayList<>();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("n", n);
        try (TestingServer zk = new TestingServer(true); Sandbox sandbox = new Sandbox(RECORDS)) {
            sandbox.jushuitan().rateLimit(false);
            createTables(bi, n);
            KillableFerry first = replica(sandbox, url, bi, zk, "replica-1", n);
            KillableFerry second = replica(sandbox, url, bi, zk, "replica-2", n);
            Process leader = first.startCommand(List.of("run"));
            processes.add(leader);
            System.out.printf("N=%d: %d copies of jst-shops-to-mysql every %d s; log %s%n", n, n, PERIOD, first.log());

            // every copy has had a run: then the measured window starts, at a period's boundary
            long deadline = System.currentTimeMillis() + 120_000 + 2_000L * n;
            while (KillableFerry.countQuietly(url, "SELECT COUNT(DISTINCT sync_name) FROM ferry_run WHERE kind = 'sync' AND status = 'succeeded'") < n) {
                if (System.currentTimeMillis() > deadline || !leader.isAlive()) {
                    row.put("onSchedule", false);
                    row.put("note", "not every sync had a run within " + (120 + 2 * n) + " s; see " + first.log());
                    return row;
                }
                Thread.sleep(500);
            }
            long t0 = (System.currentTimeMillis() / 1000 / PERIOD + 1) * PERIOD * 1000;
            Thread.sleep(t0 - System.currentTimeMillis());
            long[] machineBefore = machineTicks();
            Duration cpuBefore = cpu(leader);
            for (long t = t0; t < t0 + WINDOW * 1000L; t += PERIOD * 1000L) {
                Thread.sleep(Math.max(0, t + 500 - System.currentTimeMillis()));
                sandbox.jushuitan().addShops(CHANGES);
            }
            long t1 = t0 + WINDOW * 1000L;
            Thread.sleep(Math.max(0, t1 - System.currentTimeMillis()));
            Duration cpu = cpu(leader).minus(cpuBefore);
            long[] machineAfter = machineTicks();
            // the runs of the window's last ticks end (a tick's run may start late, after t1)
            Thread.sleep(PERIOD * 1000L);
            row.putAll(schedule(url, n, Instant.ofEpochMilli(t0), Instant.ofEpochMilli(t1)));
            row.put("replicaCpuPercent", 100.0 * cpu.toMillis() / (WINDOW * 1000.0));
            row.put("machineBusyPercent", busy(machineBefore, machineAfter));
            row.put("cores", Runtime.getRuntime().availableProcessors());

            // a follower, then the leader killed: every sync's lead and first run on the follower
            Process follower = second.startCommand(List.of("run"));
            processes.add(follower);
            deadline = System.currentTimeMillis() + 60_000;
            while (!Files.readString(second.log()).contains(" started in ") && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            Thread.sleep(3_000); // its elections joined, behind the leader
            Timestamp killedAt = databaseNow(url);
            KillableFerry.kill(leader);
            row.putAll(handOver(url, n, killedAt));
            double runs = (double) row.get("runsShare");
            double lateP95 = (double) row.get("lateP95");
            row.put("onSchedule", runs >= RUNS_SHARE && lateP95 <= LATE_P95_SECONDS && (long) row.get("failed") == 0);
            return row;
        } finally {
            for (Process p : processes) {
                p.destroyForcibly();
                p.waitFor();
            }
            TestDatabases.dropMysqlDatabase(url);
            TestDatabases.dropMysqlDatabase(bi);
        }
    }

    /** A {@code ferry run} replica with the N copies as its only syncs. */
    static KillableFerry replica(Sandbox sandbox, String url, String bi, TestingServer zk, String node, int n) throws IOException {
        // the deployment's session timeout (10 s): the hand-over measured is a deployment's
        Map<String, String> settings = new LinkedHashMap<>(ClusterSettings.deployedZookeeper(node, zk.getConnectString()));
        settings.putAll(TestDatabases.mysqlSettings("ferry.bi", bi));
        // both deployments share budgets; the pacing itself is off: the simulator's limit is too
        settings.put("ferry.budgets.shared", "true");
        settings.put("camel.component.jushuitan.requests-per-second", "0");
        settings.put("camel.component.jushuitan.requests-per-minute", "0");
        // the first replica keeps every lead until it is killed
        settings.put("ferry.cluster.rebalance-interval", "0");
        settings.put("ferry.management.enabled", "false");
        settings.put("ferry.console.enabled", "false");
        for (int i = 1; i <= n; i++) {
            settings.put("ferry.sync.shops-" + i + ".cron", (i % PERIOD) + "/" + PERIOD + " * * * * ?");
        }
        KillableFerry replica = new KillableFerry(sandbox, url, settings);
        try (var files = Files.list(replica.routes())) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".yaml") && !name.startsWith("ferry-")) {
                    Files.delete(f);
                }
            }
        }
        String template = Files.readString(Path.of("routes", "jst-shops-to-mysql.yaml"));
        for (int i = 1; i <= n; i++) {
            String copy = template.replace("routeId: jst-shops-to-mysql", "routeId: shops-" + i)
                    .replace("value: jst-shops-to-mysql }", "value: shops-" + i + " }").replace("bi_shop", "bi_shop_" + i);
            Files.writeString(replica.routes().resolve("shops-" + i + ".yaml"), copy);
        }
        return replica;
    }

    /** bi_shop_1 … bi_shop_N, as the BI migration creates bi_shop. */
    static void createTables(String url, int n) throws Exception {
        String ddl;
        try (InputStream in = SyncsPerReplicaBenchmark.class.getResourceAsStream("/db/bi/V1__bi_shop.sql")) {
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "").strip().replaceAll(";$", "");
        }
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            for (int i = 1; i <= n; i++) {
                s.execute(ddl.replace("CREATE TABLE bi_shop", "CREATE TABLE bi_shop_" + i));
            }
        }
    }

    /**
     * The runs of the copies' ticks in [t0, t1) (each copy ticks WINDOW / PERIOD times in any window of that length):
     * how many ticks opened a run, how late after its tick each started, how long each took, how many failed.
     */
    static Map<String, Object> schedule(String url, int n, Instant t0, Instant t1) throws Exception {
        java.util.Set<String> ticked = new java.util.HashSet<>();
        List<Double> late = new ArrayList<>();
        List<Double> took = new ArrayList<>();
        long failed = 0;
        long unfinished = 0;
        try (Connection c = connect(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT sync_name, started_at, ended_at, status FROM ferry_run WHERE kind = 'sync'")) {
            while (rs.next()) {
                int i = Integer.parseInt(rs.getString(1).substring("shops-".length()));
                long offsetMs = (i % PERIOD) * 1000L;
                long ms = rs.getTimestamp(2).getTime();
                long tick = Math.floorDiv(ms - offsetMs, PERIOD * 1000L) * PERIOD * 1000L + offsetMs;
                if (tick < t0.toEpochMilli() || tick >= t1.toEpochMilli() || !ticked.add(i + "@" + tick)) {
                    continue;
                }
                late.add((ms - tick) / 1000.0);
                Timestamp ended = rs.getTimestamp(3);
                if (ended == null) {
                    unfinished++;
                } else {
                    took.add((ended.getTime() - ms) / 1000.0);
                }
                if ("failed".equals(rs.getString(4))) {
                    failed++;
                }
            }
        }
        long ticks = (long) n * (WINDOW / PERIOD);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ticks", ticks);
        m.put("runs", late.size());
        m.put("runsShare", late.size() / (double) ticks);
        m.put("failed", failed);
        m.put("unfinished", unfinished);
        m.put("lateP50", percentile(late, 0.5));
        m.put("lateP95", percentile(late, 0.95));
        m.put("lateMax", percentile(late, 1.0));
        m.put("tookP50", percentile(took, 0.5));
        m.put("tookP95", percentile(took, 0.95));
        return m;
    }

    /** After the leader's kill: each sync's new lead (ferry_sync.leader_since) and the follower's first run of it. */
    static Map<String, Object> handOver(String url, int n, Timestamp killedAt) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        Map<String, Double> lead = new HashMap<>();
        Map<String, Double> run = new HashMap<>();
        while ((lead.size() < n || run.size() < n) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            try (Connection c = connect(url); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT sync_name, TIMESTAMPDIFF(MICROSECOND, '" + killedAt + "', leader_since) "
                        + "FROM ferry_sync WHERE leader_node = 'replica-2' AND leader_since >= '" + killedAt + "'")) {
                    while (rs.next()) {
                        lead.put(rs.getString(1), rs.getLong(2) / 1e6);
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT sync_name, TIMESTAMPDIFF(MICROSECOND, '" + killedAt + "', MIN(started_at)) "
                        + "FROM ferry_run WHERE node = 'replica-2' AND kind = 'sync' AND started_at >= '" + killedAt + "' GROUP BY sync_name")) {
                    while (rs.next()) {
                        run.put(rs.getString(1), rs.getLong(2) / 1e6);
                    }
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("handedOver", Math.min(lead.size(), run.size()));
        m.put("leadP50", percentile(new ArrayList<>(lead.values()), 0.5));
        m.put("leadMax", percentile(new ArrayList<>(lead.values()), 1.0));
        m.put("firstRunP50", percentile(new ArrayList<>(run.values()), 0.5));
        m.put("firstRunMax", percentile(new ArrayList<>(run.values()), 1.0));
        return m;
    }

    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
    }

    static Duration cpu(Process p) {
        return p.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** /proc/stat's first line: busy and total ticks of every core. */
    static long[] machineTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] { total - idle, total };
    }

    static double busy(long[] before, long[] after) {
        return 100.0 * (after[0] - before[0]) / Math.max(1, after[1] - before[1]);
    }

    static Timestamp databaseNow(String url) throws Exception {
        try (Connection c = connect(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_TIMESTAMP(3)")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    static Connection connect(String url) throws Exception {
        return DriverManager.getConnection(url, TestDatabases.MYSQL_USER, TestDatabases.MYSQL_PASSWORD);
    }

    static String report(Map<String, String> machine, List<Map<String, Object>> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("Machine: ");
        machine.forEach((k, v) -> sb.append(k).append(' ').append(v).append("; "));
        sb.append(String.format(Locale.ROOT, "%nN copies of jst-shops-to-mysql (%d shops, %d new ones every %d s) in one `ferry run` JVM "
                + "(-Xmx256m), each every %d s; %d s measured; simulator, ZooKeeper and MariaDB on the same machine.%n%n", RECORDS, CHANGES,
                PERIOD, PERIOD, WINDOW));
        sb.append("| syncs | runs / ticks | failed | start late p50 / p95 / max s | run p50 / p95 s | replica CPU (% of a core) "
                + "| machine busy | on schedule | hand-over: lead p50 / max s | first run p50 / max s |\n");
        sb.append("|---:|---:|---:|---|---|---:|---:|---|---|---|\n");
        for (Map<String, Object> r : rows) {
            if (!r.containsKey("runs")) {
                sb.append(String.format(Locale.ROOT, "| %d | | | | | | | no: %s | | |%n", r.get("n"), r.get("note")));
                continue;
            }
            sb.append(String.format(Locale.ROOT, "| %d | %d / %d | %d | %.2f / %.2f / %.2f | %.2f / %.2f | %.0f %% | %.0f %% | %s "
                    + "| %.1f / %.1f (%d of %d) | %.1f / %.1f |%n", r.get("n"), r.get("runs"), r.get("ticks"), r.get("failed"),
                    r.get("lateP50"), r.get("lateP95"), r.get("lateMax"), r.get("tookP50"), r.get("tookP95"), r.get("replicaCpuPercent"),
                    r.get("machineBusyPercent"), Boolean.TRUE.equals(r.get("onSchedule")) ? "yes" : "no", r.get("leadP50"), r.get("leadMax"),
                    r.get("handedOver"), r.get("n"), r.get("firstRunP50"), r.get("firstRunMax")));
        }
        sb.append(String.format(Locale.ROOT, "%non schedule: at least %.0f %% of the ticks opened a run, the 95th percentile start at most "
                + "%.1f s after its tick, no run failed. hand-over: from the leader's SIGKILL to the follower's lead of each sync, and to "
                + "its first run of it.%n", RUNS_SHARE * 100, LATE_P95_SECONDS));
        return sb.toString();
    }
}
