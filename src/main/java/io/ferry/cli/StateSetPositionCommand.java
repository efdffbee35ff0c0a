package io.ferry.cli;

import io.ferry.pipeline.SyncPosition;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import io.ferry.FerryApp;
import io.ferry.FerryMain;
import io.ferry.pipeline.SyncSettings;
import io.ferry.state.SyncStateEdits.Outcome;

/** {@code ferry state set-position SYNC POSITION}: an incremental sync's next run reads from POSITION. */
@Command(name = "set-position", description = "Set where the sync's next run reads from: a sync paged by an offset field "
        + "takes a value of that field (it reads the records after it), a sync read by time window an ISO-8601 time with "
        + "its offset, not after now (it reads from there, less its lookback). Refused (1) while the sync runs; recorded.")
public class StateSetPositionCommand implements Callable<Integer> {

    private final PrintStream out;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "SYNC", description = "The sync's name (its route id).")
    String sync;

    @Parameters(index = "1", paramLabel = "POSITION", description = "An offset, or a time such as 2026-10-01T00:00:00+08:00.")
    String position;

    @Option(names = "--dry-run", description = "Say what would change, change nothing.")
    boolean dryRun;

    @Option(names = "--actor", paramLabel = "NAME", description = "Who makes the edit, as recorded (default: the OS user).")
    String actor;

    public StateSetPositionCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        return setPosition(sync, position, dryRun, actor, Map.of(), out);
    }

    /** @param properties properties that win over application.properties and the environment */
    public static int setPosition(String sync, String position, boolean dryRun, String actor, Map<String, String> properties,
            PrintStream out) throws Exception {
        try (FerryApp app = new FerryApp(OneShot.besideARunningFerry(properties)).start()) {
            SyncSettings settings = StateCommand.settings(app, sync);
            SyncPosition kind = SyncPosition.of(settings);
            String value = kind.parse(settings, position, Instant.now());
            Outcome o = app.state().stateEdits().setPosition(sync, value, "set-position", StateCommand.actor(actor), dryRun);
            if (o.refused()) {
                return StateCommand.refused(out, sync, o.refusedBy());
            }
            String was = o.before() == null ? "none" : o.before();
            if (dryRun) {
                out.println(sync + ": dry run, nothing changed: the " + kind.label + " would be " + value + " (it is " + was + ")");
            } else {
                out.println(sync + ": " + kind.label + " set to " + value + " (it was " + was + "): " + kind.meaning(settings)
                        + " (edit " + o.recorded().id() + ")");
            }
            return FerryMain.OK;
        }
    }
}
