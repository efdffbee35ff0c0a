package io.ferry.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
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
import io.ferry.reconcile.CannotReconcileException;
import io.ferry.reconcile.Reconciler;
import io.ferry.reconcile.Reconciliation;
import io.ferry.reconcile.Reconciliation.Finding;
import io.ferry.reconcile.Reconciliation.Kind;

/**
 * {@code ferry reconcile SYNC [--window START/END] [--repair] [--samples N] [--format text|json]}: the source compared
 * with the target by key and content. Exit codes: 0 in agreement, 1 differences found (or a repair refused), 2 it cannot
 * be reconciled (unknown sync, no readable target, a bad window, a source or target that could not be read).
 */
@Command(name = "reconcile", description = "Compare the sync's source with its target by key and content: the records "
        + "missing from the target (delivered by the state, or not yet), extra in it, and different there (the fields and "
        + "both values). Never writes to the target; without --repair writes nothing at all. Exit codes: 0 in agreement, "
        + "1 differences found (or the repair refused), 2 cannot reconcile.")
public class ReconcileCommand implements Callable<Integer> {

    enum Format {
        text, json
    }

    /** The exit code of a reconcile that found differences. */
    public static final int DIFFERENCES = 1;

    private final PrintStream out;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "SYNC", description = "The sync's name (its route id).")
    String sync;

    @Option(names = "--window", paramLabel = "START/END", description = "For a sync read by time window: compare only this "
            + "window, ISO-8601 with offsets, END a time or a duration (2026-11-01T00:00+08:00/P1D). Default: from its "
            + "windowStart to its saved position.")
    String window;

    @Option(names = "--repair", description = "Re-queue the delivered-but-missing and the different records for the sync's "
            + "next run, which writes them first (extra rows are left alone). Refused (1) while the sync runs; recorded.")
    boolean repair;

    @Option(names = "--samples", paramLabel = "N", description = "Records shown per kind (default 10).")
    int samples = 10;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (the default) or json.")
    Format format = Format.text;

    @Option(names = "--actor", paramLabel = "NAME", description = "Who repairs, as the edit records it (default: the OS user).")
    String actor;

    public ReconcileCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        return reconcile(sync, window, repair, samples, format == Format.json, actor, Map.of(), out);
    }

    /** @param properties properties that win over application.properties and the environment */
    public static int reconcile(String sync, String window, boolean repair, int samples, boolean json, String actor,
            Map<String, String> properties, PrintStream out) throws Exception {
        // bad input: exit code 2 with the message (FerryMain), before anything is started or read
        if (samples < 0) {
            throw new ConfigurationException("--samples must be 0 or more, got " + samples);
        }
        Instant[] bounds;
        try {
            bounds = window == null ? new Instant[] { null, null } : window(window);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
        // without --repair nothing may change: the state database unmigrated and read-only, as for preview; a repair
        // writes its edit and its run. Neither creates the BI tables: the target is only read
        Map<String, String> p = OneShot.besideARunningFerry(properties);
        p = repair ? new java.util.HashMap<>(p) : PreviewCommand.readOnly(p);
        p.put("ferry.bi.create-schema", "false");
        try (FerryApp app = new FerryApp(p).start()) {
            Reconciler reconciler = app.camel().getRegistry().lookupByNameAndType(Reconciler.BEAN, Reconciler.class);
            Reconciliation r;
            try {
                r = reconciler.reconcile(new Reconciler.Request(sync, bounds[0], bounds[1], repair, false, StateCommand.actor(actor)));
            } catch (CannotReconcileException e) {
                throw new ConfigurationException(e.getMessage(), e);
            } catch (RuntimeException e) {
                // the source or the target could not be read: nothing to compare
                throw new ConfigurationException("cannot reconcile " + sync + ": " + e.getMessage(), e);
            }
            if (json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r.toMap(samples)));
            } else {
                print(r, samples, out);
            }
            if (r.repair() != null && r.repair().refused() != null) {
                return FerryMain.RUN_FAILED;
            }
            return r.differences() == 0 ? FerryMain.OK : DIFFERENCES;
        }
    }

    /** START/END or START/DURATION, ISO-8601 with offsets. */
    static Instant[] window(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("--window " + text + " is not START/END (e.g. 2026-11-01T00:00+08:00/P1D)");
        }
        Instant from = time(text.substring(0, slash).strip(), text);
        String end = text.substring(slash + 1).strip();
        Instant to;
        if (end.startsWith("P") || end.startsWith("p")) {
            try {
                to = from.plus(Duration.parse(end));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--window " + text + ": " + end + " is not an ISO-8601 duration (P1D, PT6H)");
            }
        } else {
            to = time(end, text);
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("--window " + text + ": its start is not before its end");
        }
        return new Instant[] { from, to };
    }

    private static Instant time(String s, String whole) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--window " + whole + ": " + s + " is not an ISO-8601 time with its offset "
                    + "(2026-11-01T00:00+08:00)");
        }
    }

    private static void print(Reconciliation r, int samples, PrintStream out) {
        out.println(r.sync() + ": reconciled" + (r.from() == null ? "" : " the window " + r.from() + " .. " + r.to()) + ": "
                + r.summary());
        section(out, r, samples, "missing, delivered (marked synced) but absent from the target", Kind.MISSING_DELIVERED);
        section(out, r, samples, "missing, not delivered yet (the next run writes them)", Kind.MISSING_NOT_DELIVERED);
        section(out, r, samples, "missing, open dead letters (replay or discard them)", Kind.MISSING_DEAD_LETTERED);
        section(out, r, samples, "extra (in the target, not in the source; a repair leaves them)", Kind.EXTRA);
        section(out, r, samples, "different", Kind.DIFFERENT);
        section(out, r, samples, "rejected by the mapping (not compared)", Kind.REJECTED);
        if (r.repair() != null) {
            out.println(r.repair().refused() != null ? "repair refused, nothing queued: " + r.repair().refused()
                    : r.repair().queued() == 0 ? "repair: nothing to re-queue"
                            : "repair: re-queued " + r.repair().queued() + " record(s) (" + r.count(Kind.MISSING_DELIVERED)
                                    + " missing, " + r.count(Kind.DIFFERENT) + " different) for the next run of " + r.sync()
                                    + " (edit " + r.repair().edit() + ")");
        }
        out.println(r.differences() == 0 ? "result: in agreement" : "result: " + r.differences() + " difference(s)");
    }

    private static void section(PrintStream out, Reconciliation r, int samples, String title, Kind kind) {
        List<Finding> found = r.of(kind);
        if (found.isEmpty()) {
            return;
        }
        out.println(title + ": " + found.size() + (found.size() > samples ? " (the first " + samples + ")" : ""));
        for (int i = 0; i < Math.min(samples, found.size()); i++) {
            Finding f = found.get(i);
            out.println("  " + (f.key() == null ? "(no key)" : f.key()) + "  " + f.detail());
        }
    }
}
