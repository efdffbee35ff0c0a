package io.ferry.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.Route;
import org.apache.camel.component.direct.DirectEndpoint;
import org.apache.camel.processor.SendProcessor;
import org.apache.camel.support.DefaultExchange;

import io.ferry.http.ApiCallRecorder;
import io.ferry.http.ApiHttp;
import io.ferry.kernel.Paging;
import io.ferry.kernel.RunContext;
import io.ferry.kernel.Windows;
import io.ferry.kernel.source.SourceEndpoint;
import io.ferry.mapping.JsonataMapping;
import io.ferry.state.FerryState;
import io.ferry.state.SyncedKeyRepository.SyncedKey;

/**
 * Reads a sync's source page by page outside a run, with the pieces its run uses, and says of every record what the
 * run would do with it: its key, and either its mapped row (as the sink would receive it) or why it would be skipped
 * (already synced, content unchanged, a key read twice) or rejected (no key, not an object, the mapping failed).
 * <p>
 * The pieces are the sync's own, found in its running routes: the {@code ferry:start} settings (key, windows, offset
 * field, updateChanged, maxPages), the source endpoint (its {@link io.ferry.kernel.source.SourceProducer}: paging,
 * end signals and guards, with a paging state of its own exactly as {@code ferry:start} sets it up), the
 * {@code ferry:map} mapping, the sink endpoint and batch size of {@code ferry:aggregate} (a {@code direct:} sink is
 * followed to the endpoint its route writes to), and the dedup rule of {@code ferry:dedup} ({@link DedupDecision}).
 * <p>
 * It writes nothing anywhere: it starts no route, takes no run lock (the sync's own runs may go on meanwhile), opens
 * no run, marks no key, moves no position and records no dead letter. The synced keys are only asked, through the
 * {@link KnownKeys} it is given, and every vendor API call it makes goes to the {@link ApiCallRecorder} it is given
 * instead of the API-call log ({@link ApiHttp#recordingTo}). The next page is not read ahead: each page is read on
 * the caller's thread when {@link Reading#next()} is called. A source call that fails throws (no retries: a run
 * would retry it, a reader reports it).
 * <p>
 * Use: {@code SourceRead.of(camel, sync).read(Start.next(...), KnownKeys.of(state, sync), calls::add, limit)} and
 * call {@link Reading#next()} until it returns null. {@link Start#beginning()} with {@link #ALL} reads the whole
 * source; {@link Start#between} reads the windows of a time-windowed sync between two instants.
 */
public final class SourceRead {

    /** No limit: every record the source yields (still bounded by the sync's maxPages). */
    public static final int ALL = Integer.MAX_VALUE;

    /** The synced keys a read asks (read only); {@link #NONE}: nothing is synced, every record would be written. */
    @FunctionalInterface
    public interface KnownKeys {
        KnownKeys NONE = keys -> Map.of();

        /** The keys among these that are synced, with their content hash and target reference. */
        Map<String, SyncedKey> findSynced(Collection<String> keys);

        /** The sync's synced keys in the state database (one query per page, as a run asks). */
        static KnownKeys of(FerryState state, String sync) {
            return keys -> state.syncedKeys(sync).findSynced(keys);
        }
    }

    /** Where a read begins. */
    public static final class Start {

        private enum Kind {
            NEXT, BEGINNING, BETWEEN
        }

        private final Kind kind;
        private final String savedPosition;
        private final Integer scanPage;
        private final Instant from;
        private final Instant to;

        private Start(Kind kind, String savedPosition, Integer scanPage, Instant from, Instant to) {
            this.kind = kind;
            this.savedPosition = savedPosition;
            this.scanPage = scanPage;
            this.from = from;
            this.to = to;
        }

        /**
         * Where the sync's next run would begin: after the saved offset, at the saved window position (less the
         * lookback), or at the page where a whole scan stopped; at the source's start when nothing is saved.
         *
         * @param savedPosition the sync's saved offset or window position (ferry_offset), or null
         * @param scanPage      the page a whole scan stopped at (ferry_scan_position), or null
         */
        public static Start next(String savedPosition, Integer scanPage) {
            return new Start(Kind.NEXT, savedPosition, scanPage, null, null);
        }

        /** The source from its start, whatever is saved: the first page, or the windows from windowStart to now − lag. */
        public static Start beginning() {
            return new Start(Kind.BEGINNING, null, null, null, null);
        }

        /**
         * The windows of a time-windowed sync from {@code from} to {@code to}, each at most the sync's windowSize,
         * without lookback (each still asks from its bound overlap before its start, as a run does).
         */
        public static Start between(Instant from, Instant to) {
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException("the window's end " + to + " must be after its start " + from);
            }
            return new Start(Kind.BETWEEN, null, null, from, to);
        }
    }

    /** What a run would do with a record. */
    public enum Verdict {
        WRITE, SKIP_SYNCED, SKIP_UNCHANGED, SKIP_REPEATED, REJECT_NO_KEY, REJECT_NOT_OBJECT, REJECT_MAPPING;

        public boolean skipped() {
            return name().startsWith("SKIP_");
        }

        public boolean rejected() {
            return name().startsWith("REJECT_");
        }
    }

    /**
     * One record read.
     *
     * @param key         its business key; null when it has none
     * @param verdict     what a run would do with it
     * @param reason      why it is skipped or rejected (a rejection's as the dead letter would say it); null for WRITE
     * @param record      the record as the source gave it
     * @param row         its mapped row as the sink receives it: for WRITE, and for a record skipped as synced whose
     *                    mapping succeeded (to compare with the target); else null
     * @param contentHash the record's content hash, when its sync compares them (updateChanged), else null
     * @param targetRef   what the target called it when it was synced (Kingdee's Id), else null
     */
    public record Item(String key, Verdict verdict, String reason, Object record, Map<String, Object> row,
            String contentHash, String targetRef) {
    }

    /**
     * One page read.
     *
     * @param number   1 for the first page of the read
     * @param position where it was asked: the window and the page number or cursor
     * @param window   the window it belongs to, for a time-windowed sync; else null
     * @param items    its records in the source's order (fewer than the page held when the read's limit cut it)
     */
    public record Page(int number, String position, Windows.Window window, List<Item> items) {
    }

    private final CamelContext camel;
    private final SyncSettings settings;
    private final FerryEndpoint start;
    private final SourceEndpoint source;
    private final JsonataMapping mapping;
    private final String sinkUri;
    private final Endpoint sink;
    private final int batchSize;

    private SourceRead(CamelContext camel, SyncSettings settings, FerryEndpoint start, SourceEndpoint source,
            JsonataMapping mapping, String sinkUri, Endpoint sink, int batchSize) {
        this.camel = camel;
        this.settings = settings;
        this.start = start;
        this.source = source;
        this.mapping = mapping;
        this.sinkUri = sinkUri;
        this.sink = sink;
        this.batchSize = batchSize;
    }

    /**
     * The reader of a sync, from the route that starts it with {@code ferry:start?sync=…} and reads a Ferry source.
     *
     * @throws IllegalArgumentException when no route of this Camel context is that sync's, or it has no Ferry source
     *                                  step, no {@code ferry:map} or no {@code ferry:aggregate}
     */
    public static SourceRead of(CamelContext camel, String sync) {
        for (Route route : camel.getRoutes()) {
            FerryEndpoint startStep = null;
            SourceEndpoint sourceStep = null;
            FerryEndpoint mapStep = null;
            FerryEndpoint aggregateStep = null;
            for (Endpoint d : destinations(route)) {
                if (d instanceof FerryEndpoint f) {
                    switch (f.operation()) {
                    case START -> startStep = f;
                    case MAP -> mapStep = f;
                    case AGGREGATE -> aggregateStep = f;
                    default -> {
                    }
                    }
                } else if (d instanceof SourceEndpoint s && sourceStep == null) {
                    sourceStep = s;
                }
            }
            if (startStep == null || startStep.settings() == null || !sync.equals(startStep.settings().sync())) {
                continue;
            }
            if (sourceStep == null || mapStep == null || aggregateStep == null) {
                throw new IllegalArgumentException("sync " + sync + " (route " + route.getRouteId() + ") cannot be read outside"
                        + " a run: it needs a Ferry source step, ferry:map and ferry:aggregate in its route");
            }
            Endpoint sinkEndpoint = camel.getEndpoint(aggregateStep.getSink());
            Endpoint written = followDirect(camel, sinkEndpoint);
            return new SourceRead(camel, startStep.settings(), startStep, sourceStep, mapStep.loadedMapping(),
                    readable(written.getEndpointUri()), written, aggregateStep.getSize());
        }
        throw new IllegalArgumentException("no sync named '" + sync + "' is loaded");
    }

    private static List<Endpoint> destinations(Route route) {
        List<Endpoint> out = new ArrayList<>();
        for (Processor p : route.filter("*")) {
            if (p instanceof SendProcessor send) {
                out.add(send.getDestination());
            }
        }
        return out;
    }

    /** A direct: sink (the template's {@code <sync>-write} route) is the endpoint that route writes to. */
    private static Endpoint followDirect(CamelContext camel, Endpoint endpoint) {
        if (!(endpoint instanceof DirectEndpoint)) {
            return endpoint;
        }
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint() == endpoint) {
                List<Endpoint> to = destinations(route);
                return to.isEmpty() ? endpoint : to.get(0);
            }
        }
        return endpoint;
    }

    /** An endpoint URI as a route writes it: Camel keeps it percent-encoded (a sql: statement's spaces as %20). */
    private static String readable(String uri) {
        try {
            return java.net.URLDecoder.decode(uri.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8)
                    .replaceFirst("^(\\w+)://", "$1:");
        } catch (IllegalArgumentException e) {
            return uri;
        }
    }

    public SyncSettings settings() {
        return settings;
    }

    public String sourceUri() {
        return readable(source.getEndpointUri());
    }

    public SourceEndpoint source() {
        return source;
    }

    /** The endpoint a batch of rows is written to (a {@code direct:} sink followed to the endpoint behind it). */
    public Endpoint sink() {
        return sink;
    }

    /** The sink's URI, readable (not percent-encoded). */
    public String sinkUri() {
        return sinkUri;
    }

    /** Rows per batch written to the sink. */
    public int batchSize() {
        return batchSize;
    }

    /** The mapping file. */
    public String mappingLocation() {
        return mapping.location();
    }

    /**
     * Starts a read.
     *
     * @param from  where it begins
     * @param known the synced keys to decide skips by (read only); {@link KnownKeys#NONE} to skip nothing as synced
     * @param calls receives every vendor API call the read makes, with the bodies as the vendor client gives them to
     *              the API-call log (signatures and tokens it masks itself); mask configured secrets again before
     *              showing them (SecretMasker), as the API-call log does before it stores them
     * @param limit at most this many records ({@link #ALL}: no limit); a page is cut at the limit
     * @throws IllegalArgumentException for a limit below 1, or {@link Start#between} on a sync not read by windows
     */
    public Reading read(Start from, KnownKeys known, ApiCallRecorder calls, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the limit must be at least 1, got " + limit);
        }
        Paging paging = new Paging(settings.maxPages());
        String began;
        Windows.Spec spec = settings.window();
        if (from.kind == Start.Kind.BETWEEN && spec == null) {
            throw new IllegalArgumentException(settings.sync() + " is not read by time window (its ferry:start has no window)");
        }
        Duration overlap = start.windowOverlap();
        if (spec != null) {
            Windows windows = switch (from.kind) {
            case NEXT -> {
                Instant position = from.savedPosition != null ? Instant.parse(from.savedPosition) : spec.start();
                began = (from.savedPosition != null ? "the saved window position " : "windowStart (nothing saved) ") + position
                        + ", less the lookback " + spec.lookback();
                yield new Windows(spec, position, overlap, Instant.now());
            }
            case BEGINNING -> {
                began = "windowStart " + spec.start();
                yield new Windows(new Windows.Spec(spec.field(), spec.start(), spec.size(), Duration.ZERO, spec.lag()),
                        spec.start(), overlap, Instant.now());
            }
            case BETWEEN -> {
                began = "the windows from " + from.from + " to " + from.to;
                yield new Windows(new Windows.Spec(spec.field(), from.from, spec.size(), Duration.ZERO, Duration.ZERO),
                        from.from, overlap, from.to);
            }
            };
            paging.useWindows(windows);
            if (windows.current() == null) {
                began += "; nothing to read: that is at the horizon " + windows.horizon()
                        + (from.kind == Start.Kind.BETWEEN ? "" : " (now - lag)");
            }
        } else if (settings.offsetField() != null && from.kind == Start.Kind.NEXT && from.savedPosition != null) {
            paging.moveCursor(from.savedPosition);
            began = "after the saved offset " + settings.offsetField() + "=" + from.savedPosition;
        } else if (settings.offsetField() == null && from.kind == Start.Kind.NEXT && from.scanPage != null) {
            paging.resumeAt(from.scanPage);
            began = "page " + from.scanPage + ", where the last scan stopped (the pages before it come after the source's end)";
        } else {
            began = settings.offsetField() != null && from.kind == Start.Kind.NEXT ? "the source's start (no offset saved)"
                    : "the source's start";
        }
        return new Reading(paging, known, calls, limit, began);
    }

    /** A read going on: call {@link #next()} until it returns null. Not for use by two threads at once. */
    public final class Reading {

        private final Paging paging;
        private final KnownKeys known;
        private final ApiCallRecorder calls;
        private final int limit;
        private final String began;
        private final Producer producer;
        private final ReadContext context;
        /** keys that would be written, so far: a later record with one of them is a repeat */
        private final Set<String> pending = new HashSet<>();
        private int read;
        private int pages;
        private boolean limited;

        private Reading(Paging paging, KnownKeys known, ApiCallRecorder calls, int limit, String began) {
            this.paging = paging;
            this.known = known;
            this.calls = calls;
            this.limit = limit;
            this.began = began;
            this.context = new ReadContext(settings, paging);
            try {
                // not started: a started source producer reads the next page ahead on a thread of its own
                this.producer = source.createProducer();
            } catch (Exception e) {
                throw new IllegalStateException(source.getEndpointUri() + ": " + e.getMessage(), e);
            }
        }

        /** Where the read began, for a person: "after the saved offset id=41", "the saved window position …". */
        public String began() {
            return began;
        }

        /** The next page, or null when the source has no more, the limit was reached or the sync's maxPages. */
        public Page next() {
            if (read >= limit) {
                limited |= paging.hasMore();
                return null;
            }
            if (!paging.hasMore()) {
                return null;
            }
            Windows.Window window = paging.windows() == null ? null : paging.windows().current();
            String cursor = paging.cursor(null);
            Integer pageNumber = paging.pageNumberAsked();
            Exchange exchange = new DefaultExchange(camel);
            exchange.setProperty(RunContext.PROPERTY, context);
            ApiHttp.recordingTo(calls, () -> {
                try {
                    producer.process(exchange);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                return null;
            });
            pages++;
            List<?> records = exchange.getIn().getBody(List.class);
            if (records == null) {
                records = List.of();
            }
            if (records.size() > limit - read) {
                records = records.subList(0, limit - read);
                limited = true;
            }
            read += records.size();
            String position = (window == null ? "" : "window " + window.from() + " .. " + window.to() + ", ")
                    + (pageNumber != null ? "page " + pageNumber : cursor != null ? "after " + cursor : "the first page");
            return new Page(pages, position, window, items(records));
        }

        private List<Item> items(List<?> page) {
            DedupDecision.Keyed keyed = DedupDecision.byKey(page, settings.keyField(), pending);
            Map<String, SyncedKey> synced = keyed.byKey().isEmpty() ? Map.of() : known.findSynced(keyed.byKey().keySet());
            List<Item> items = new ArrayList<>(page.size());
            for (int i = 0; i < page.size(); i++) {
                Object record = page.get(i);
                String key = keyed.keys().get(i);
                switch (keyed.kinds().get(i)) {
                case NO_KEY -> items.add(new Item(null, Verdict.REJECT_NO_KEY, DedupDecision.keylessReason(record, settings.keyField()),
                        record, null, null, null));
                case NOT_OBJECT -> items.add(new Item(null, Verdict.REJECT_NOT_OBJECT, DedupDecision.keylessReason(record,
                        settings.keyField()), record, null, null, null));
                case REPEATED -> items.add(new Item(key, Verdict.SKIP_REPEATED, "key seen twice: " + settings.keyField() + "="
                        + key + " was read before in this read", record, null, null, null));
                case KEYED -> {
                    SyncedKey k = synced.get(key);
                    DedupDecision.Verdict v = DedupDecision.decide(k, (Map<?, ?>) record, settings.updateChanged());
                    MapProducer.Mapped m = MapProducer.map(mapping, settings, record, x -> k);
                    String ref = k == null ? null : k.targetRef();
                    String hash = m.row() != null ? m.row().contentHash() : null;
                    @SuppressWarnings("unchecked")
                    Map<String, Object> row = m.row() == null ? null : (Map<String, Object>) m.row().body();
                    if (v == DedupDecision.Verdict.DELIVER) {
                        pending.add(key);
                        items.add(m.rejection() != null ? new Item(key, Verdict.REJECT_MAPPING, m.rejection(), record, null, null, ref)
                                : new Item(key, Verdict.WRITE, null, record, row, hash, ref));
                    } else if (v == DedupDecision.Verdict.SYNCED) {
                        items.add(new Item(key, Verdict.SKIP_SYNCED, "already synced", record, row, hash, ref));
                    } else {
                        items.add(new Item(key, Verdict.SKIP_UNCHANGED, "already synced, content unchanged", record, row, hash, ref));
                    }
                }
                }
            }
            return items;
        }

        /** Records read so far. */
        public int read() {
            return read;
        }

        /** Pages read so far. */
        public int pages() {
            return pages;
        }

        /** True when the read stopped at its limit while the source may have had more. */
        public boolean limited() {
            return limited;
        }

        /** True when the read ended on the source's own end signal (not at the limit, maxPages or a repeated page). */
        public boolean readToEnd() {
            return !limited && paging.readToEnd();
        }

        /** What the paging guards said (a repeated page, maxPages, a window whose count kept moving). */
        public List<String> warnings() {
            return paging.warnings();
        }
    }

    /** The paging state and window bounds a source step sees, as a run's {@link SyncRun} gives them. */
    private static final class ReadContext implements RunContext {
        private final SyncSettings settings;
        private final Paging paging;

        ReadContext(SyncSettings settings, Paging paging) {
            this.settings = settings;
            this.paging = paging;
        }

        @Override
        public String syncName() {
            return settings.sync();
        }

        /** No run: 0 (no run row has it). */
        @Override
        public long runId() {
            return 0;
        }

        @Override
        public Paging paging() {
            return paging;
        }

        @Override
        public String keyField() {
            return settings.keyField();
        }
    }
}
