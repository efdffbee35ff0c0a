package io.ferry.cli;

import io.ferry.pipeline.SyncPosition;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import io.ferry.FerryApp;
import io.ferry.FerryMain;
import io.ferry.pipeline.SyncSettings;
import io.ferry.state.FerryState;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.state.SyncStateEdits.Edit;
import io.ferry.state.SyncStateEdits.RunningRun;
import io.ferry.state.SyncedKeyRepository;

/** {@code ferry state show SYNC}: the sync's position, synced keys, open dead letters, last runs and last edits. */
@Command(name = "show", description = "The sync's position (its kind and value), synced keys (how many with a content "
        + "hash), open dead letters, a run going on, its last runs and the last edits of its state.")
public class StateShowCommand implements Callable<Integer> {

    enum Format {
        text, json
    }

    static final int LAST_RUNS = 5;
    static final int LAST_EDITS = 5;

    private final PrintStream out;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "SYNC", description = "The sync's name (its route id).")
    String sync;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (the default) or json.")
    Format format = Format.text;

    public StateShowCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        return show(sync, format, Map.of(), out);
    }

    /** @param properties properties that win over application.properties and the environment */
    public static int show(String sync, Format format, Map<String, String> properties, PrintStream out) throws Exception {
        try (FerryApp app = new FerryApp(OneShot.besideARunningFerry(properties)).start()) {
            SyncSettings settings = StateCommand.settings(app, sync);
            FerryState state = app.state();
            SyncPosition kind = SyncPosition.of(settings);
            String value = kind == SyncPosition.SCAN_PAGE ? number(state.scanPositions().find(sync)) : state.offsets().find(sync);
            SyncedKeyRepository keys = state.syncedKeys(sync);
            long synced = keys.count();
            long hashed = keys.countWithContentHash();
            int open = state.deadLetters().countOpen(sync);
            long requeued = state.reconcileQueue().count(sync);
            RunningRun running = state.stateEdits().running(sync);
            List<RunRecord> runs = state.runs().recent(sync, LAST_RUNS);
            List<Edit> edits = state.stateEdits().recent(sync, LAST_EDITS);
            if (format == Format.json) {
                out.println(json(settings, kind, value, synced, hashed, open, requeued, running, runs, edits));
                return FerryMain.OK;
            }
            out.printf("%-13s %s%n", "sync", sync);
            out.printf("%-13s %s%n", "position", value == null ? kind.label + " none: " + kind.whenNone(settings)
                    : kind.label + " " + value + ": " + kind.meaning(settings));
            out.printf("%-13s %d (%d with a content hash)%n", "synced keys", synced, hashed);
            out.printf("%-13s %d open%n", "dead letters", open);
            if (requeued > 0) {
                out.printf("%-13s %d record(s) queued by a reconcile's repair: the next run writes them first%n", "re-queued", requeued);
            }
            out.printf("%-13s %s%n", "running", running == null ? "no" : StateCommand.describe(running) + ": edits are refused until it ends");
            printRuns(out, runs);
            StateHistoryCommand.printEdits(out, "last edits", edits);
            return FerryMain.OK;
        }
    }

    private static void printRuns(PrintStream out, List<RunRecord> runs) {
        if (runs.isEmpty()) {
            out.printf("%-13s %s%n", "last runs", "none");
            return;
        }
        out.println("last runs");
        out.printf("  %8s %-7s %-10s %-19s %-19s %7s %8s %8s %7s%n", "run", "kind", "status", "started", "ended", "read",
                "skipped", "written", "failed");
        for (RunRecord r : runs) {
            out.printf("  %8d %-7s %-10s %-19s %-19s %7d %8d %8d %7d%n", r.id(), r.kind(), r.status(),
                    StateCommand.TIME.format(r.startedAt()), r.endedAt() == null ? "-" : StateCommand.TIME.format(r.endedAt()),
                    r.read(), r.skipped(), r.written(), r.failed());
        }
    }

    private static String json(SyncSettings settings, SyncPosition kind, String value, long synced, long hashed, int open,
            long requeued, RunningRun running, List<RunRecord> runs, List<Edit> edits) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("sync", settings.sync());
        Map<String, Object> position = new LinkedHashMap<>();
        position.put("kind", kind.json());
        position.put("field", kind == SyncPosition.OFFSET ? settings.offsetField() : kind == SyncPosition.WINDOW
                ? settings.window().field() : null);
        position.put("value", value);
        doc.put("position", position);
        doc.put("syncedKeys", synced);
        doc.put("syncedKeysWithContentHash", hashed);
        doc.put("openDeadLetters", open);
        doc.put("requeued", requeued);
        Map<String, Object> run = null;
        if (running != null) {
            run = new LinkedHashMap<>();
            run.put("id", running.id());
            run.put("kind", running.kind());
            run.put("node", running.node());
            run.put("startedAt", running.startedAt().toString());
        }
        doc.put("running", run);
        List<Map<String, Object>> last = new ArrayList<>();
        for (RunRecord r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("kind", r.kind());
            m.put("status", r.status());
            m.put("startedAt", r.startedAt().toString());
            m.put("endedAt", r.endedAt() == null ? null : r.endedAt().toString());
            m.put("read", r.read());
            m.put("skipped", r.skipped());
            m.put("written", r.written());
            m.put("failed", r.failed());
            m.put("error", r.error());
            last.add(m);
        }
        doc.put("lastRuns", last);
        doc.put("lastEdits", StateHistoryCommand.json(edits));
        return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    }

    private static String number(Integer page) {
        return page == null ? null : String.valueOf(page);
    }
}
