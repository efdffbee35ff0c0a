package io.ferry.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import io.ferry.FerryApp;
import io.ferry.FerryMain;
import io.ferry.kernel.ConfigurationException;
import io.ferry.operate.SyncPreview;

/**
 * {@code ferry preview SYNC}: the first pages of the sync's source, deduplicated and mapped as its next run would,
 * printed as the sink would receive them, with what would be skipped or rejected and why, and the API calls made;
 * nothing is written (the state database is opened read-only and not migrated, the API calls are not logged).
 */
@Command(name = "preview", description = "Reads the first pages of the sync's source (from where its next run would "
        + "read, or one --window), runs dedup and the mapping and prints the rows as they would be sent, in batches, "
        + "with the records that would be skipped or rejected and why, and the API calls it made. Writes nothing.")
public class PreviewCommand implements Callable<Integer> {

    enum Format {
        text, json
    }

    static final int DEFAULT_LIMIT = 20;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintStream out;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "SYNC", description = "The sync's name (its route id).")
    String sync;

    @Option(names = "--limit", paramLabel = "N", description = "Records read at most (default: " + DEFAULT_LIMIT
            + "); pages are read until N records or the source's end.")
    int limit = DEFAULT_LIMIT;

    @Option(names = "--window", paramLabel = "START/END", description = "For a sync read by time window: read this "
            + "window instead of the next run's, ISO-8601 with offsets: START/END or START/DURATION, e.g. "
            + "2026-11-01T00:00+08:00/P1D (split into windows of the sync's windowSize).")
    String window;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (the default) or json.")
    Format format = Format.text;

    public PreviewCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        return preview(sync, limit, window, format, Map.of(), out, System.err);
    }

    /** The properties of a command that must change nothing: no migration, a read-only pool, no API-call log. */
    static Map<String, String> readOnly(Map<String, String> properties) {
        Map<String, String> p = new HashMap<>(properties);
        p.put("ferry.state.migrate", "false");
        p.put("ferry.state.read-only", "true");
        p.put("ferry.api-log.enabled", "false");
        p.put("ferry.bi.create-schema", "false");
        p.put("ferry.close-abandoned-runs", "false");
        // the shared call ledger is rows in the state database: a preview's calls are paced by its own budget
        p.put("ferry.budgets.shared", "false");
        return OneShot.besideARunningFerry(p);
    }

    /** @param properties properties that win over application.properties and the environment */
    public static int preview(String sync, int limit, String window, Format format, Map<String, String> properties,
            PrintStream out, PrintStream err) throws Exception {
        if (limit < 1) {
            throw new ConfigurationException("--limit must be at least 1, got " + limit);
        }
        Instant[] range = window == null ? null : parseWindow(window);
        try (FerryApp app = new FerryApp(readOnly(properties)).start()) {
            SyncPreview preview = SyncPreview.take(app.camel(), app.state(), app.syncs(), app.syncConfiguration(), sync, limit, range);
            String failure = preview.failure();
            if (format == Format.json) {
                out.println(JSON.writeValueAsString(preview.json()));
            } else {
                preview.text(out);
            }
            if (failure != null) {
                err.println("ferry preview: " + sync + ": " + failure);
                return FerryMain.RUN_FAILED;
            }
            return FerryMain.OK;
        }
    }

    /** START/END or START/DURATION, ISO-8601 with offsets. */
    static Instant[] parseWindow(String text) {
        return SyncPreview.window("--window", text);
    }

}
