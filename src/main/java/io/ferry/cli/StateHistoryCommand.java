package io.ferry.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import io.ferry.FerryApp;
import io.ferry.FerryMain;
import io.ferry.state.SyncStateEdits.Edit;

/** {@code ferry state history SYNC}: the edits of the sync's state, newest first, as ferry_state_edit keeps them. */
@Command(name = "history", description = "The edits of the sync's state, newest first: when, who, what, before and after.")
public class StateHistoryCommand implements Callable<Integer> {

    private final PrintStream out;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "SYNC", description = "The sync's name (its route id).")
    String sync;

    @Option(names = "--limit", paramLabel = "N", description = "At most N edits (default ${DEFAULT-VALUE}).")
    int limit = 50;

    public StateHistoryCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        return history(sync, limit, Map.of(), out);
    }

    /** @param properties properties that win over application.properties and the environment */
    public static int history(String sync, int limit, Map<String, String> properties, PrintStream out) throws Exception {
        try (FerryApp app = new FerryApp(OneShot.besideARunningFerry(properties)).start()) {
            StateCommand.settings(app, sync);
            printEdits(out, "edits", app.state().stateEdits().recent(sync, Math.max(1, limit)));
            return FerryMain.OK;
        }
    }

    static void printEdits(PrintStream out, String title, List<Edit> edits) {
        if (edits.isEmpty()) {
            out.printf("%-13s %s%n", title, "none");
            return;
        }
        out.println(title);
        for (Edit e : edits) {
            out.printf("  %8d %-19s %-12s %-14s before: %s%n", e.id(), StateCommand.TIME.format(e.at()), e.actor(), e.action(),
                    e.before() == null ? "none" : e.before());
            out.printf("  %8s %-19s %-12s %-14s after:  %s%n", "", "", "", "", e.after() == null ? "none" : e.after());
        }
    }

    static List<Map<String, Object>> json(List<Edit> edits) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Edit e : edits) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("at", e.at().toString());
            m.put("actor", e.actor());
            m.put("action", e.action());
            m.put("before", e.before());
            m.put("after", e.after());
            m.put("lastRunId", e.lastRunId());
            out.add(m);
        }
        return out;
    }
}
