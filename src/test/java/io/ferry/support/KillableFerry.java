package io.ferry.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.ferry.sandbox.Sandbox;

/**
 * {@code ferry sync …} in a JVM of its own, pointed at a sandbox and a test database, to be killed with SIGKILL and
 * started again: its working directory holds a copy of routes/ (a test may edit the copy), its configuration is
 * application.properties with the sandbox's endpoints, the database and the test's settings appended, and every
 * run's output goes to one log file.
 */
public final class KillableFerry {

    private final Path dir;
    private final Path config;
    private final Path log;

    /** @param settings properties appended last (they win over application.properties and the sandbox's) */
    public KillableFerry(Sandbox sandbox, String stateUrl, Map<String, String> settings) throws IOException {
        dir = Files.createTempDirectory(Path.of("target"), "killable-ferry-").toAbsolutePath();
        FileTrees.copy(Path.of("routes"), dir.resolve("routes"));
        StringBuilder sb = new StringBuilder(Files.readString(Path.of("application.properties"))).append('\n');
        Map<String, String> extra = new LinkedHashMap<>(sandbox.properties());
        extra.putAll(TestDatabases.mysqlSettings("ferry.state", stateUrl));
        extra.putAll(settings);
        extra.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        config = dir.resolve("ferry.properties");
        Files.writeString(config, sb);
        log = dir.resolve("ferry.log");
    }

    /** The copy of routes/ the child loads. */
    public Path routes() {
        return dir.resolve("routes");
    }

    /** Where every run's stdout and stderr are appended. */
    public Path log() {
        return log;
    }

    /** Starts {@code ferry sync SYNCS…}. */
    public Process start(List<String> syncs) throws IOException {
        List<String> args = new ArrayList<>(List.of("sync"));
        args.addAll(syncs);
        return startCommand(args);
    }

    /** Starts {@code ferry ARGS…} (e.g. {@code run}: the schedules until killed). */
    public Process startCommand(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.ferry.FerryMain"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("FERRY_") && !k.startsWith("FERRY_TEST_"));
        pb.environment().put("FERRY_CONFIG", config.toString());
        return pb.start();
    }

    /** SIGKILL (on Linux), and waits until the process is gone. */
    public static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** The first column of the first row, or 0 when the query fails (a table not created yet). */
    public static long countQuietly(String url, String sql) {
        try {
            return count(url, sql);
        } catch (Exception e) {
            return 0;
        }
    }

    public static long count(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, TestDatabases.MYSQL_USER, TestDatabases.MYSQL_PASSWORD);
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The first column of every row, as text (null as "null"). */
    public static List<String> strings(String url, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, TestDatabases.MYSQL_USER, TestDatabases.MYSQL_PASSWORD);
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(String.valueOf(rs.getString(1)));
            }
        }
        return out;
    }
}
