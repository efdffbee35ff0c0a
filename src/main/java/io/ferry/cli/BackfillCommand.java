package io.ferry.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import io.ferry.FerryApp;
import io.ferry.FerryMain;
import io.ferry.kernel.ConfigurationException;
import io.ferry.kernel.Windows;
import io.ferry.pipeline.SyncSettings;
import io.ferry.state.SyncStateEdits.Outcome;

/** {@code ferry backfill SYNC FROM}: moves a windowed sync's position back, so its next run reads again from FROM. */
@Command(name = "backfill", description = "Move a windowed sync's position back to FROM (ISO-8601 with its offset): its next "
        + "run reads window after window from there; orders that did not change are skipped. Runs beside a running Ferry "
        + "(1 while the sync is running); recorded in the sync's state history.")
public class BackfillCommand implements Callable<Integer> {

    private final PrintStream out;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "SYNC", description = "A sync read by time window (docs/time-windows.md).")
    String sync;

    @Parameters(index = "1", paramLabel = "FROM", description = "Where the next run begins, e.g. 2026-10-01T00:00:00+08:00.")
    String from;

    public BackfillCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        return backfill(sync, from, Map.of(), out);
    }

    /** @param properties properties that win over application.properties and the environment */
    public static int backfill(String sync, String from, Map<String, String> properties, PrintStream out) throws Exception {
        Instant at;
        try {
            at = Windows.Spec.parseTime("FROM", from);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
        try (FerryApp app = new FerryApp(OneShot.besideARunningFerry(properties)).start()) {
            SyncSettings settings = app.syncs().syncs().get(sync);
            if (settings == null || settings.window() == null) {
                throw new ConfigurationException(sync + " is " + (settings == null ? "no sync of the route files" : "not read by time window"));
            }
            // one edit of the state as `ferry state set-position`: refused while a run of the sync is going on (the run would
            // save its own window ends over the new position), recorded with who made it
            Outcome o = app.state().stateEdits().setPosition(sync, at.toString(), "backfill", StateCommand.actor(null), false);
            if (o.refused()) {
                return StateCommand.refused(out, sync, o.refusedBy());
            }
            out.println(sync + ": the next run reads from " + at + (o.before() == null ? "" : " (it was at " + o.before() + ")"));
            return FerryMain.OK;
        }
    }
}
