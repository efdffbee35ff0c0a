package io.ferry.cli;

import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;

import com.zaxxer.hikari.HikariDataSource;

import io.ferry.deadletter.DeadLetterRepository;
import io.ferry.observe.SyncStatus;
import io.ferry.state.Databases;
import io.ferry.state.RunRepository;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.state.Sql;

/**
 * {@code ferry status [NAME...]}: each sync's last run (status, counts, when) and its open dead letters, read from
 * the state database. It does not start Ferry, so it works beside a running one (the default H2 URL has
 * AUTO_SERVER=TRUE). A sync is judged by its last sync run, its last replay shown beside it (SyncStatus). Exit code 1
 * when a last sync run failed.
 */
public final class StatusCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private StatusCommand() {
    }

    public static int status(List<String> names, PrintStream out) {
        return status(names, out, Map.of());
    }

    /** @param overrides properties that win over application.properties and the environment */
    public static int status(List<String> names, PrintStream out, Map<String, String> overrides) {
        Map<String, String> p = properties(List.of("ferry.state.url", "ferry.state.username", "ferry.state.password"), overrides);
        String url = p.get("ferry.state.url");
        // reading must not leave an empty H2 database behind where Ferry has never run
        if (url.startsWith("jdbc:h2:file:") && !url.toUpperCase().contains("IFEXISTS=")) {
            url = url + ";IFEXISTS=TRUE";
        }
        try (HikariDataSource ds = Databases.pool("ferry-status", url, p.get("ferry.state.username"),
                p.get("ferry.state.password"), 1)) {
            Sql sql = new Sql(ds);
            RunRepository runs = new RunRepository(ds);
            DeadLetterRepository deadLetters = new DeadLetterRepository(ds);
            TreeSet<String> syncs = new TreeSet<>(names);
            if (syncs.isEmpty()) {
                syncs.addAll(sql.query("SELECT DISTINCT sync_name FROM ferry_run", rs -> rs.getString(1)));
                syncs.addAll(sql.query("SELECT DISTINCT sync_name FROM ferry_dead_letter WHERE status = 'open'", rs -> rs.getString(1)));
            }
            if (syncs.isEmpty()) {
                out.println("no sync has run yet");
                return 0;
            }
            out.printf("%-34s %8s %-10s %-19s %-19s %8s %8s %8s %7s %12s%n", "sync", "run", "status", "started", "ended",
                    "read", "skipped", "written", "failed", "dead letters");
            boolean anyFailed = false;
            for (String sync : syncs) {
                SyncStatus standing = SyncStatus.read(runs, sync);
                RunRecord r = standing.lastRun();
                int open = deadLetters.countOpen(sync);
                if (r == null) {
                    out.printf("%-34s %8s %-10s %-19s %-19s %8s %8s %8s %7s %12d%n", sync, "-", "never", "-", "-", "-", "-",
                            "-", "-", open);
                    printReplay(out, standing);
                    continue;
                }
                out.printf("%-34s %8d %-10s %-19s %-19s %8d %8d %8d %7d %12d%n", sync, r.id(), r.status(),
                        TIME.format(r.startedAt()), r.endedAt() == null ? "-" : TIME.format(r.endedAt()), r.read(),
                        r.skipped(), r.written(), r.failed(), open);
                if (r.error() != null) {
                    out.printf("%-34s %s%n", "", r.error());
                }
                printReplay(out, standing);
                anyFailed |= standing.failed();
            }
            return anyFailed ? 1 : 0;
        } catch (RuntimeException e) {
            out.println("the state database cannot be read (has Ferry run with this configuration?): " + e.getMessage());
            return 2;
        }
    }

    private static void printReplay(PrintStream out, SyncStatus standing) {
        if (standing.replayLine() != null) {
            out.printf("%-34s %s%n", "", standing.replayLine());
        }
    }

    /** Resolved as Ferry resolves them: overrides, then application.properties with its {{env:…}} defaults. */
    private static Map<String, String> properties(List<String> keys, Map<String, String> overrides) {
        String config = System.getProperty("ferry.config", System.getenv().getOrDefault("FERRY_CONFIG", "application.properties"));
        Map<String, String> out = new java.util.HashMap<>();
        // a context that is never started: only its properties component, for the same placeholder rules as Ferry's
        DefaultCamelContext camel = new DefaultCamelContext(false);
        PropertiesComponent props = camel.getPropertiesComponent();
        props.setLocation("file:" + config);
        for (String key : keys) {
            out.put(key, overrides.containsKey(key) ? overrides.get(key) : props.resolveProperty(key).orElse(""));
        }
        return out;
    }
}
