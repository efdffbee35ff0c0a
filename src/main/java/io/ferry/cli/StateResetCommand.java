package io.ferry.cli;

import io.ferry.pipeline.SyncPosition;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import io.ferry.FerryApp;
import io.ferry.FerryMain;
import io.ferry.kernel.ConfigurationException;
import io.ferry.pipeline.SyncSettings;
import io.ferry.state.SyncStateEdits.Outcome;

/** {@code ferry state reset SYNC [--keys K1,K2]}: the sync forgets what it delivered, all of it or these keys. */
@Command(name = "reset", description = "Forget every synced key of the sync, its position and its scan page: the next run "
        + "reads the source from its start and writes every record again (the target's upserts keep that idempotent). "
        + "With --keys, forget only those keys: their records are written again when the sync next reads them. Refused (1) "
        + "while the sync runs; recorded.")
public class StateResetCommand implements Callable<Integer> {

    private final PrintStream out;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "SYNC", description = "The sync's name (its route id).")
    String sync;

    @Option(names = "--keys", split = ",", paramLabel = "KEY", description = "Only these synced keys, e.g. --keys 10000001,10000002.")
    List<String> keys = new ArrayList<>();

    @Option(names = "--dry-run", description = "Say what would change, change nothing.")
    boolean dryRun;

    @Option(names = "--actor", paramLabel = "NAME", description = "Who makes the edit, as recorded (default: the OS user).")
    String actor;

    public StateResetCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        return reset(sync, keys, dryRun, actor, Map.of(), out);
    }

    /**
     * @param keys       the keys to forget; empty: every key, the position and the scan page
     * @param properties properties that win over application.properties and the environment
     */
    public static int reset(String sync, List<String> keys, boolean dryRun, String actor, Map<String, String> properties,
            PrintStream out) throws Exception {
        List<String> named = keys.stream().map(String::strip).filter(k -> !k.isEmpty()).distinct().toList();
        if (keys.stream().anyMatch(String::isBlank)) {
            throw new ConfigurationException("--keys has an empty key; nothing changed");
        }
        try (FerryApp app = new FerryApp(OneShot.besideARunningFerry(properties)).start()) {
            SyncSettings settings = StateCommand.settings(app, sync);
            SyncPosition kind = SyncPosition.of(settings);
            Outcome o;
            try {
                o = named.isEmpty() ? app.state().stateEdits().reset(sync, StateCommand.actor(actor), dryRun)
                        : app.state().stateEdits().forgetKeys(sync, named, StateCommand.actor(actor), dryRun);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(e.getMessage() + "; nothing changed", e);
            }
            if (o.refused()) {
                return StateCommand.refused(out, sync, o.refusedBy());
            }
            String edit = dryRun ? "" : " (edit " + o.recorded().id() + ")";
            String prefix = sync + ": " + (dryRun ? "dry run, nothing changed: " : "");
            if (named.isEmpty()) {
                out.println(prefix + (dryRun ? "reset would forget " : "forgot ") + o.before() + "; " + kind.whenNone(settings)
                        + ", and every record is written again" + edit);
            } else {
                String when = kind == SyncPosition.SCAN_PAGE ? "the next run reads the whole source and writes their records again"
                        : "their records are written again when a run reads them; the next run reads from the sync's " + kind.label
                                + " on (`ferry state set-position` moves it back to reach them)";
                out.println(prefix + (dryRun ? "would forget " : "forgot ") + named.size() + " synced key(s): " + o.before() + "; "
                        + when + edit);
            }
            return FerryMain.OK;
        }
    }
}
