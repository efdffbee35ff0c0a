package io.ferry.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import io.ferry.FerryApp;
import io.ferry.FerryMain;
import io.ferry.state.RunHeartbeat;
import io.ferry.state.RunRepository.RunRecord;

/**
 * {@code ferry sync [NAME...]}: starts Ferry without its schedules, runs syncs once each, prints what every run
 * did, stops. {@code ferry sandbox} prints the same table.
 */
@Command(name = "sync", description = "Run the named syncs once (all when none is named) against the configured "
        + "systems, print what each run did, and exit (1 when a run did not succeed).")
public class SyncCommand implements Callable<Integer> {

    private final PrintStream out;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "A sync's name (its route id).")
    List<String> names = new ArrayList<>();

    public SyncCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        try {
            return runOnce(Map.of(), names, out);
        } catch (UnknownSyncException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Runs the syncs once each (all when {@code names} is empty), prints the table; 1 when a run did not succeed. */
    public static int runOnce(Map<String, String> properties, List<String> names, PrintStream out) throws Exception {
        int failures = 0;
        try (FerryApp app = new FerryApp(OneShot.properties(properties)).start()) {
            List<String> known = app.syncs().names();
            for (String name : names) {
                if (!known.contains(name)) {
                    throw new UnknownSyncException("no sync named '" + name + "'; known: " + String.join(", ", known));
                }
            }
            List<String> syncs = names.isEmpty() ? known : names;
            out.println();
            out.printf("%-34s %-10s %6s %8s %8s %8s %7s %9s%n", "sync", "status", "pages", "read", "skipped", "written",
                    "failed", "seconds");
            for (String sync : syncs) {
                if (app.syncConfiguration().printIfNotConfigured(sync, out)) {
                    failures++;
                    continue;
                }
                RunRecord run;
                try {
                    run = runOrWait(app, sync);
                } catch (IllegalStateException e) {
                    // the run could not even be opened (e.g. the state database does not answer): one line, no trace
                    out.printf("%-34s %s%n", sync, e.getMessage());
                    failures++;
                    continue;
                }
                if (run == null) {
                    out.printf("%-34s already running%n", sync);
                    continue;
                }
                double secs = run.endedAt() == null ? 0 : (run.endedAt().toEpochMilli() - run.startedAt().toEpochMilli()) / 1000.0;
                out.printf("%-34s %-10s %6d %8d %8d %8d %7d %9.1f%n", sync, run.status(), run.pages(), run.read(),
                        run.skipped(), run.written(), run.failed(), secs);
                if (run.written() == 0 && run.failed() == 0 && "succeeded".equals(run.status())) {
                    out.printf("%-34s nothing new to write: %s%n", "", run.read() == 0 ? "the source has nothing past the saved offset"
                            : "every record read was synced before");
                }
                if (run.error() != null) {
                    out.printf("%-34s %s%n", "", run.error());
                }
                if (!"succeeded".equals(run.status())) {
                    failures++;
                }
            }
        }
        return failures == 0 ? FerryMain.OK : FerryMain.RUN_FAILED;
    }

    /**
     * Runs the sync; while another process's run of it beats, tries again until its heartbeat timeout has passed once:
     * a process killed a moment ago looks alive until then, and its run is closed as abandoned by this one's start
     * after it. Null when the other run is still going on.
     */
    private static RunRecord runOrWait(FerryApp app, String sync) throws InterruptedException {
        RunHeartbeat heartbeat = app.state().runs().heartbeat();
        long deadline = System.nanoTime() + heartbeat.timeout().plus(heartbeat.interval()).toNanos();
        RunRecord run = app.runSync(sync);
        while (run == null && System.nanoTime() < deadline) {
            Thread.sleep(heartbeat.interval().toMillis());
            run = app.runSync(sync);
        }
        return run;
    }

    /** A sync name on the command line that no route declares. */
    static class UnknownSyncException extends IllegalArgumentException {
        UnknownSyncException(String message) {
            super(message);
        }
    }
}
