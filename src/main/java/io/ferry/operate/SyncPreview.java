package io.ferry.operate;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.ferry.config.SyncConfiguration;
import io.ferry.http.ApiCall;
import io.ferry.kernel.ConfigurationException;
import io.ferry.kernel.Windows;
import io.ferry.observe.SecretMasker;
import io.ferry.pipeline.SinkRequests;
import io.ferry.pipeline.SourceRead;
import io.ferry.pipeline.SourceRead.Item;
import io.ferry.pipeline.SourceRead.KnownKeys;
import io.ferry.pipeline.SourceRead.Page;
import io.ferry.pipeline.SourceRead.Reading;
import io.ferry.pipeline.SourceRead.Start;
import io.ferry.pipeline.SyncRegistry;
import io.ferry.pipeline.SyncSettings;
import io.ferry.state.FerryState;
import io.ferry.state.StateSchema;

/**
 * A preview of a sync (`ferry preview`, and the REST API's in a running Ferry): the first pages of its source,
 * deduplicated and mapped as its next run would (or one window), the rows in batches as the sink would receive them,
 * what would be skipped or rejected and why, and the API calls made. It reads through {@link SourceRead}, so nothing
 * is written: no run, key, position, dead letter or API-call row.
 */
public final class SyncPreview {

    /** Of a call's bodies, what is shown (masked first, then cut), as the API-call log keeps them by default. */
    static final int BODY_MAX_CHARS = 4000;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Reads the preview of {@code sync}: at most {@code limit} records, from where its next run would read or, with
     * {@code range}, the windows between its two instants.
     *
     * @throws ConfigurationException the sync is unknown or not configured, or a range is given for a sync not read by window
     */
    public static SyncPreview take(CamelContext camel, FerryState state, SyncRegistry syncs, SyncConfiguration configuration,
            String sync, int limit, Instant[] range) {
        if (limit < 1) {
            throw new ConfigurationException("the limit must be at least 1, got " + limit);
        }
        SyncSettings settings = syncs.syncs().get(sync);
        if (settings == null) {
            throw new ConfigurationException(sync + " is no sync of the route files (they declare "
                    + String.join(", ", syncs.names()) + ")");
        }
        if (!configuration.isConfigured(sync)) {
            throw new ConfigurationException(sync + " is " + configuration.message(sync));
        }
        if (range != null && settings.window() == null) {
            throw new ConfigurationException(sync + " is not read by time window: --window applies only to a sync whose"
                    + " ferry:start names window");
        }
        SourceRead reader = SourceRead.of(camel, sync);
        StateSchema schema = StateSchema.inspect(state.dataSource());
        List<String> notes = new ArrayList<>();
        if (schema.empty()) {
            notes.add("the state database has no Ferry tables: nothing synced yet (preview creates none)");
        } else if (schema.pending() > 0) {
            notes.add("the state database is at schema version " + (schema.current() == null ? "none" : schema.current())
                    + ", " + schema.pending() + " migration(s) behind this Ferry's " + schema.latest()
                    + " (preview does not migrate it): read what can be read");
        }
        Start start;
        if (range != null) {
            start = Start.between(range[0], range[1]);
            if (Duration.between(range[0], range[1]).compareTo(settings.window().size()) > 0) {
                notes.add("the window is longer than the sync's windowSize " + settings.window().size()
                        + ": read as several windows, as a run would");
            }
        } else {
            String saved = schema.has("ferry_offset") ? state.offsets().find(sync) : null;
            Integer page = settings.incremental() || !schema.has("ferry_scan_position") ? null : state.scanPositions().find(sync);
            start = Start.next(saved, page);
        }
        KnownKeys known = schema.has("ferry_synced_key") ? KnownKeys.of(state, sync) : KnownKeys.NONE;
        SecretMasker masker = SecretMasker.from(camel.getPropertiesComponent(), System.getenv());
        List<ApiCall> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        Reading reading = reader.read(start, known, calls::add, limit);
        List<Item> items = new ArrayList<>();
        List<Page> pages = new ArrayList<>();
        String failure = null;
        try {
            for (Page p = reading.next(); p != null; p = reading.next()) {
                pages.add(p);
                items.addAll(p.items());
            }
        } catch (RuntimeException e) {
            failure = masker.mask(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        return new SyncPreview(reader, reading, notes, pages, items, calls, masker, failure);
    }

    /** Why the source or the mapping stopped the preview, or null when it read what it was asked. */
    public String failure() {
        return failure;
    }

    private final SourceRead reader;
    private final Reading reading;
    private final List<String> notes;
    private final List<Page> pages;
    private final List<Item> writes = new ArrayList<>();
    private final List<Item> skips = new ArrayList<>();
    private final List<Item> rejects = new ArrayList<>();
    private final List<ApiCall> calls;
    private final SecretMasker masker;
    private final String failure;
    private final List<List<Object>> batches = new ArrayList<>();
    private final boolean renders;

    private SyncPreview(SourceRead reader, Reading reading, List<String> notes, List<Page> pages, List<Item> items, List<ApiCall> calls,
            SecretMasker masker, String failure) {
        this.reader = reader;
        this.reading = reading;
        this.notes = notes;
        this.pages = pages;
        this.calls = calls;
        this.masker = masker;
        this.failure = failure;
        for (Item i : items) {
            (i.verdict().rejected() ? rejects : i.verdict().skipped() ? skips : writes).add(i);
        }
        int size = reader.batchSize();
        for (int from = 0; from < writes.size(); from += size) {
            List<Object> rows = new ArrayList<>();
            for (Item i : writes.subList(from, Math.min(writes.size(), from + size))) {
                rows.add(i.row());
            }
            batches.add(rows);
        }
        this.renders = SinkRequests.renders(reader.sink());
    }

    public String summary() {
        return "read " + reading.read() + ", would write " + writes.size() + " in " + batches.size()
                + (batches.size() == 1 ? " batch" : " batches") + ", would skip " + skips.size() + ", would reject " + rejects.size();
    }

    String end() {
        if (failure != null) {
            return "stopped: the source or the mapping failed after " + reading.pages() + " page(s): " + failure;
        }
        if (reading.limited()) {
            return "stopped at --limit " + reading.read() + "; the source has more";
        }
        return reading.readToEnd() ? "the source's end was reached" : "stopped by a paging guard: " + String.join("; ", reading.warnings());
    }

    /** As `ferry preview` prints it. */
    public void text(PrintStream out) throws Exception {
        SyncSettings s = reader.settings();
        out.printf("%-10s %s%n", "sync", s.sync());
        out.printf("%-10s %s%n", "source", reader.sourceUri());
        out.printf("%-10s %s%n", "read from", reading.began());
        out.printf("%-10s %s%n", "sink", reader.sinkUri());
        for (String n : notes) {
            out.printf("%-10s %s%n", "note", n);
        }
        if (!renders) {
            out.printf("%-10s %s%n", "note", "this sink renders no request: each batch shows the rows as the sink receives them");
        }
        for (int b = 0; b < batches.size(); b++) {
            out.println();
            out.println("batch " + (b + 1) + " of " + batches.size() + ": " + batches.get(b).size() + " row(s)");
            Object shown = renders ? SinkRequests.render(reader.sink(), batches.get(b)) : batches.get(b);
            out.println(indent(masker.mask(JSON.writeValueAsString(shown))));
        }
        out.println();
        out.println("skipped (" + skips.size() + ")");
        for (Item i : skips) {
            out.printf("  %-24s %s%n", i.key(), i.reason());
        }
        out.println("rejected (" + rejects.size() + ")");
        for (Item i : rejects) {
            out.printf("  %-24s %s%n", i.key() == null ? "(no key)" : i.key(), masker.mask(i.reason()));
            if (i.key() == null) {
                out.println("    record: " + cut(masker.mask(toJson(i.record()))));
            }
        }
        out.println("API calls (" + calls.size() + ")");
        for (ApiCall c : calls) {
            out.printf("  %s %s %s HTTP %d%s %d ms%s%n", c.direction(), c.system(), c.endpoint(), c.httpStatus(),
                    c.vendorCode() == null ? "" : " code " + c.vendorCode(), c.latencyMillis(),
                    c.error() == null ? "" : " error: " + masker.mask(c.error()));
            out.println("    request:  " + cut(masker.mask(c.requestBody())));
            out.println("    response: " + cut(masker.mask(c.responseBody())));
        }
        out.println();
        out.println(summary());
        out.println(end() + "; nothing was written");
    }

    /** As `ferry preview --format json` prints it and the REST API answers it, masked as a whole. */
    public Map<String, Object> json() {
        SyncSettings s = reader.settings();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("sync", s.sync());
        doc.put("source", reader.sourceUri());
        doc.put("readFrom", reading.began());
        doc.put("sink", reader.sinkUri());
        doc.put("sinkRendersRequests", renders);
        doc.put("notes", notes);
        List<Object> bs = new ArrayList<>();
        for (List<Object> rows : batches) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("rows", rows);
            b.put("requests", renders ? SinkRequests.render(reader.sink(), rows) : null);
            bs.add(b);
        }
        doc.put("batches", bs);
        doc.put("skipped", keyed(skips, false));
        doc.put("rejected", keyed(rejects, true));
        List<Object> cs = new ArrayList<>();
        for (ApiCall c : calls) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("direction", c.direction());
            m.put("system", c.system());
            m.put("endpoint", c.endpoint());
            m.put("httpStatus", c.httpStatus());
            m.put("vendorCode", c.vendorCode());
            m.put("latencyMillis", c.latencyMillis());
            m.put("request", cut(masker.mask(c.requestBody())));
            m.put("response", cut(masker.mask(c.responseBody())));
            m.put("error", masker.mask(c.error()));
            cs.add(m);
        }
        doc.put("apiCalls", cs);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("read", reading.read());
        summary.put("pages", reading.pages());
        summary.put("wouldWrite", writes.size());
        summary.put("batches", batches.size());
        summary.put("wouldSkip", skips.size());
        summary.put("wouldReject", rejects.size());
        summary.put("limited", reading.limited());
        summary.put("failure", failure);
        summary.put("text", summary());
        summary.put("end", end());
        doc.put("summary", summary);
        // the JSON is masked as a whole: a secret in a row or a reason never leaves
        try {
            return JSON.readValue(masker.mask(JSON.writeValueAsString(doc)), LinkedHashMap.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Object> keyed(List<Item> items, boolean withRecord) {
        List<Object> out = new ArrayList<>();
        for (Item i : items) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", i.key());
            m.put("kind", i.verdict().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            m.put("reason", i.reason());
            if (withRecord) {
                m.put("record", i.record());
            }
            out.add(m);
        }
        return out;
    }

    private static String toJson(Object value) {
        try {
            return new ObjectMapper().writeValueAsString(value);
        } catch (Exception e) {
            return String.valueOf(value);
        }
    }

    private static String indent(String text) {
        return "  " + text.replace("\n", "\n  ");
    }

    private static String cut(String body) {
        if (body == null) {
            return "(none)";
        }
        return body.length() <= BODY_MAX_CHARS ? body : body.substring(0, BODY_MAX_CHARS) + "…[truncated]";
    }

    /** A window given as START/END or START/DURATION, ISO-8601 with offsets; {@code name} is what the messages call it. */
    public static Instant[] window(String name, String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new ConfigurationException(name + " must be START/END or START/DURATION (ISO-8601 with offsets, e.g."
                    + " 2026-11-01T00:00+08:00/P1D), got '" + text + "'");
        }
        Instant from;
        Instant to;
        try {
            from = Windows.Spec.parseTime(name + "'s START", text.substring(0, slash));
            String end = text.substring(slash + 1).strip();
            if (end.startsWith("P") || end.startsWith("p")) {
                try {
                    to = from.plus(Duration.parse(end));
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(name + "'s DURATION must be an ISO-8601 duration such as P1D or PT6H,"
                            + " got '" + end + "'");
                }
            } else {
                to = Windows.Spec.parseTime(name + "'s END", end);
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
        if (!to.isAfter(from)) {
            throw new ConfigurationException(name + "'s end " + to + " is not after its start " + from);
        }
        return new Instant[] { from, to };
    }
}
