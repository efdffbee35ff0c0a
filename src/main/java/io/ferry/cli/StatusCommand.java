package io.ferry.cli;

import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import io.ferry.kernel.ConfigurationException;
import io.ferry.config.SyncConfiguration;
import io.ferry.config.SyncConfigurationCheck;
import io.ferry.cluster.ClusteredSchedules;
import io.ferry.state.DeadLetterRepository;
import io.ferry.observe.SyncStatus;
import io.ferry.state.Databases;
import io.ferry.state.RunRepository;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.state.Sql;
import io.ferry.state.SyncLeaders;

/**
 * {@code ferry status [NAME...]}: each sync's last run (status, counts, when) and its open dead letters, read from
 * the state database. It does not start Ferry, so it works beside a running one (the default H2 URL has
 * AUTO_SERVER=TRUE). A sync is judged by its last sync run, its last replay shown beside it (SyncStatus); a sync whose
 * settings are missing is shown {@code not configured} with each of them, checked as Ferry checks them at start-up
 * with the same configuration. Exit code 1 when a last sync run failed or a sync is not configured, 2 when the state
 * database cannot be read.
 */
@Command(name = "status", description = "Each sync's last run and open dead letters, read from the state database (also "
        + "while Ferry runs); 1 when a last run failed.")
public class StatusCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final PrintStream out;

    @Mixin
    HelpOption help;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "Only these syncs (all that ran or have dead letters when none is named).")
    List<String> names = new ArrayList<>();

    public StatusCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        return status(names, out);
    }

    public static int status(List<String> names, PrintStream out) {
        return status(names, out, Map.of());
    }

    /** @param overrides properties that win over application.properties and the environment */
    public static int status(List<String> names, PrintStream out, Map<String, String> overrides) {
        Map<String, String> p = properties(List.of("ferry.state.url", "ferry.state.username", "ferry.state.password", "ferry.node",
                "camel.beans." + ClusteredSchedules.CLUSTER_BEAN), overrides);
        boolean clustered = !p.get("camel.beans." + ClusteredSchedules.CLUSTER_BEAN).isBlank();
        SyncConfiguration configuration = SyncConfigurationCheck.offline(overrides);
        String url = p.get("ferry.state.url");
        // reading must not leave an empty H2 database behind where Ferry has never run
        if (url.startsWith("jdbc:h2:file:") && !url.toUpperCase().contains("IFEXISTS=")) {
            url = url + ";IFEXISTS=TRUE";
        }
        try (HikariDataSource ds = Databases.pool("ferry-status", url, p.get("ferry.state.username"),
                p.get("ferry.state.password"), 1)) {
            Sql sql = new Sql(ds);
            RunRepository runs = new RunRepository(ds);
            SyncLeaders leaders = new SyncLeaders(ds);
            boolean anyLeader = false;
            DeadLetterRepository deadLetters = new DeadLetterRepository(ds);
            TreeSet<String> syncs = new TreeSet<>(names);
            if (syncs.isEmpty()) {
                syncs.addAll(sql.query("SELECT DISTINCT sync_name FROM ferry_run", rs -> rs.getString(1)));
                syncs.addAll(sql.query("SELECT DISTINCT sync_name FROM ferry_dead_letter WHERE status = 'open'", rs -> rs.getString(1)));
                syncs.addAll(configuration.notConfigured().keySet());
            }
            if (syncs.isEmpty()) {
                out.println("no sync has run yet");
                return 0;
            }
            out.printf("%-34s %8s %-14s %-19s %-19s %8s %8s %8s %7s %12s%n", "sync", "run", "status", "started", "ended",
                    "read", "skipped", "written", "failed", "dead letters");
            boolean anyFailed = false;
            for (String sync : syncs) {
                SyncStatus standing = SyncStatus.read(runs, sync);
                RunRecord r = standing.lastRun();
                int open = deadLetters.countOpen(sync);
                // a sync that cannot run says so in place of its last run's status, and lists what it lacks
                String shown = configuration.isConfigured(sync) ? null : "not configured";
                anyFailed |= shown != null;
                if (r == null) {
                    out.printf("%-34s %8s %-14s %-19s %-19s %8s %8s %8s %7s %12d%n", sync, "-", shown == null ? "never" : shown,
                            "-", "-", "-", "-", "-", "-", open);
                    anyLeader |= printLeader(out, leaders, sync, clustered, p.get("ferry.node"));
                    configuration.printProblems(sync, out);
                    printReplay(out, standing);
                    printReconcile(out, runs, sync);
                    continue;
                }
                out.printf("%-34s %8d %-14s %-19s %-19s %8d %8d %8d %7d %12d%n", sync, r.id(), shown == null ? r.status() : shown,
                        TIME.format(r.startedAt()), r.endedAt() == null ? "-" : TIME.format(r.endedAt()), r.read(),
                        r.skipped(), r.written(), r.failed(), open);
                if (r.error() != null) {
                    out.printf("%-34s %s%n", "", r.error());
                }
                printWindowPosition(out, sql, sync);
                anyLeader |= printLeader(out, leaders, sync, clustered, p.get("ferry.node"));
                configuration.printProblems(sync, out);
                printReplay(out, standing);
                printReconcile(out, runs, sync);
                anyFailed |= standing.failed();
            }
            if (!clustered && !anyLeader) {
                out.println("not clustered: every Ferry on this state database runs the schedules of every sync (docs/scaling.md)");
            }
            return anyFailed ? 1 : 0;
        } catch (HikariPool.PoolInitializationException e) {
            if (isMissingH2Database(e)) {
                throw new ConfigurationException("no state database at " + Databases.where(url)
                        + ": Ferry has not run with this configuration (check ferry.state.url / FERRY_STATE_URL)", e);
            }
            throw new ConfigurationException(Databases.cannotConnect("state database", url, "ferry.state.url", "FERRY_STATE_URL", e), e);
        }
    }

    /** H2's "database not found" for a URL with IFEXISTS=TRUE (error code 90146). */
    private static boolean isMissingH2Database(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getErrorCode() == 90146) {
                return true;
            }
        }
        return false;
    }

    /** A sync read by time window: where its next run starts (its saved position is a time). */
    private static void printWindowPosition(PrintStream out, Sql sql, String sync) {
        java.time.Instant position = new io.ferry.state.OffsetRepository(sql.dataSource()).windowPosition(sync);
        if (position != null) {
            out.printf("%-34s windows read up to %s; the next run starts there, less its lookback%n", "", TIME.format(position));
        }
    }

    /** The sync's last recorded reconcile (ferry reconcile --repair, or its schedule), beside its last run. */
    private static void printReconcile(PrintStream out, RunRepository runs, String sync) {
        RunRecord r = runs.last(sync, RunRepository.RECONCILE);
        if (r != null) {
            out.printf("%-34s last reconcile: run %d %s %s%s%n", "", r.id(), "running".equals(r.status()) ? "running since"
                    : r.status() + ",", TIME.format(r.endedAt() == null ? r.startedAt() : r.endedAt()),
                    r.error() == null ? "" : ": " + r.error());
        }
    }

    /**
     * The replica that says it leads the sync (written by it when the cluster made it the leader), and what this
     * node is to it; true when one does.
     */
    private static boolean printLeader(PrintStream out, SyncLeaders leaders, String sync, boolean clustered, String node) {
        SyncLeaders.Leader leader;
        try {
            leader = leaders.leader(sync);
        } catch (RuntimeException e) {
            // a state database no Ferry of this version has migrated yet keeps no leader
            return false;
        }
        if (leader == null) {
            if (clustered) {
                out.printf("%-34s leader: none recorded (no replica has taken the lead yet, or the last leader stopped)%n", "");
            }
            return false;
        }
        out.printf("%-34s leader: %s since %s; this node (%s) %s%n", "", leader.node(), TIME.format(leader.since()), node,
                leader.node().equals(node) ? "leads" : clustered ? "follows" : "is not clustered");
        return true;
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
