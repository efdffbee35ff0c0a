package io.ferry.cli;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.ferry.FerryApp;
import io.ferry.sandbox.Sandbox;
import io.ferry.state.RunRepository.RunRecord;

/**
 * {@code ferry sandbox} and {@code ferry sync}: start Ferry without its schedules, run syncs once each, print
 * what every run did, stop. The sandbox variant first starts the vendor simulators and points Ferry at them.
 */
public final class SyncCommand {

    private SyncCommand() {
    }

    public static int sandbox(List<String> args, PrintStream out) throws Exception {
        int shops = 1000;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--shops") && i + 1 < args.size()) {
                shops = Integer.parseInt(args.get(++i));
            }
        }
        try (Sandbox sandbox = new Sandbox(shops)) {
            out.printf("sandbox: %d shops per source; simulators: %s%n", shops,
                    sandbox.servers().stream().map(s -> s.name() + " " + s.url()).toList());
            return runAll(sandbox.properties(), List.of(), out);
        }
    }

    public static int sync(List<String> names, PrintStream out) throws Exception {
        return runAll(Map.of(), names, out);
    }

    private static int runAll(Map<String, String> properties, List<String> names, PrintStream out) throws Exception {
        Map<String, String> overrides = new HashMap<>(properties);
        overrides.put("ferry.schedules.enabled", "false");
        // a one-shot run beside a running Ferry must not compete for its management and console ports
        overrides.putIfAbsent("ferry.management.enabled", "false");
        overrides.putIfAbsent("ferry.console.enabled", "false");
        int failures = 0;
        try (FerryApp app = new FerryApp(overrides).start()) {
            List<String> syncs = names.isEmpty() ? app.syncs().names() : names;
            out.println();
            out.printf("%-34s %-10s %6s %8s %8s %8s %7s %9s%n", "sync", "status", "pages", "read", "skipped", "written",
                    "failed", "seconds");
            for (String sync : syncs) {
                RunRecord run;
                try {
                    run = app.runSync(sync);
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
        return failures == 0 ? 0 : 1;
    }
}
