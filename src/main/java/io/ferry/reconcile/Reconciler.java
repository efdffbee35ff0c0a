package io.ferry.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.config.SyncConfiguration;
import io.ferry.http.ApiCallRecorder;
import io.ferry.http.ApiHttp;
import io.ferry.kernel.Records;
import io.ferry.kernel.Windows;
import io.ferry.pipeline.SourceRead;
import io.ferry.pipeline.SyncRegistry;
import io.ferry.pipeline.SyncSettings;
import io.ferry.reconcile.Reconciliation.Finding;
import io.ferry.reconcile.Reconciliation.Kind;
import io.ferry.reconcile.Reconciliation.Repair;
import io.ferry.reconcile.RowComparison.FieldDifference;
import io.ferry.state.DeadLetterRepository.DeadLetter;
import io.ferry.state.FerryState;
import io.ferry.state.ReconcileFindingRepository;
import io.ferry.state.ReconcileQueueRepository;
import io.ferry.state.RunRepository;
import io.ferry.state.SyncStateEdits;
import io.ferry.state.SyncedKeyRepository.SyncedKey;

/**
 * Compares a sync's source with its target by key and content ({@code ferry reconcile}, and on the schedule
 * {@code ferry.sync.<sync>.reconcile.cron}): reads every source record through the sync's own source, paging and mapping
 * ({@link SourceRead}, writing nothing), reads the target's rows through its {@code reconcileTarget} ({@link TargetRows}),
 * and sorts each key into missing (split by what the state says: delivered, not delivered yet, dead-lettered), extra
 * or different ({@link RowComparison}). It never writes to the target. It writes to the state database only when it is
 * recorded (its run, kind 'reconcile', and its findings) and, with repair, to queue the delivered-but-missing and the
 * different records for the next run ({@link SyncStateEdits#requeue}); bound as {@value #BEAN}.
 */
public class Reconciler {

    public static final String BEAN = "ferryReconciler";

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STORED_SAMPLES = 10;

    /**
     * What to reconcile.
     *
     * @param from    the window's start for a time-windowed sync (null: its windowStart)
     * @param to      the window's end (null: its saved position, or now − lag when none is saved)
     * @param record  record it in the run history (always with repair)
     * @param actor   who asked, as a repair's edit records it
     */
    public record Request(String sync, Instant from, Instant to, boolean repair, boolean record, String actor) {
    }

    private final CamelContext camel;
    private final FerryState state;
    private final SyncRegistry syncs;
    private final List<ReconcileListener> listeners = new CopyOnWriteArrayList<>();

    public Reconciler(CamelContext camel, FerryState state, SyncRegistry syncs) {
        this.camel = camel;
        this.state = state;
        this.syncs = syncs;
    }

    public void addListener(ReconcileListener listener) {
        listeners.add(listener);
    }

    /**
     * The scheduled reconcile of a sync (its {@code <sync>-reconcile} route): recorded, with repair when
     * {@code ferry.sync.<sync>.reconcile.repair} is true. A failure is recorded and logged, not thrown to the route.
     */
    public void scheduled(String sync) {
        boolean repair = Boolean.parseBoolean(camel.getPropertiesComponent().resolveProperty("ferry.sync." + sync + ".reconcile.repair")
                .orElse("false").strip());
        try {
            Reconciliation r = reconcile(new Request(sync, null, null, repair, true, "schedule"));
            LOG.info("{}: reconcile run {}: {}{}", sync, r.runId(), r.summary(), r.repair() == null ? ""
                    : r.repair().refused() != null ? "; repair refused: " + r.repair().refused() : "; " + r.repair().queued() + " re-queued");
        } catch (CannotReconcileException e) {
            // refused before anything was read: on a schedule it is still a failed reconcile, recorded and alerted
            String message = "reconcile failed: " + e.getMessage();
            try {
                long runId = state.runs().open(sync, state.node(), RunRepository.RECONCILE);
                state.runs().close(runId, "failed", 0, 0, 0, 0, 0, message);
                listeners.forEach(l -> notify(() -> l.failed(sync, runId, message)));
            } catch (RuntimeException stateDown) {
                LOG.warn("{}: the failed reconcile could not be recorded: {}", sync, stateDown.getMessage());
            }
            LOG.warn("{}: the scheduled reconcile failed: {}", sync, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{}: the scheduled reconcile failed: {}", sync, e.getMessage());
        }
    }

    /**
     * Reconciles one sync.
     *
     * @throws CannotReconcileException when it cannot be reconciled as asked (nothing is read or recorded)
     * @throws RuntimeException         when the source or the target could not be read (recorded as a failed reconcile)
     */
    public Reconciliation reconcile(Request request) {
        String sync = request.sync();
        SyncSettings settings = syncs.syncs().get(sync);
        if (settings == null) {
            throw new CannotReconcileException("no sync named '" + sync + "'; known: " + String.join(", ", syncs.names()));
        }
        // what the route files and the request say first, then whether the systems can be reached
        ReconcileSpec spec = ReconcileSpec.of(camel, sync, settings.keyField());
        Instant[] window = window(settings, request);
        SyncConfiguration configuration = camel.getRegistry().lookupByNameAndType(SyncConfiguration.BEAN, SyncConfiguration.class);
        if (configuration != null && !configuration.isConfigured(sync)) {
            throw new CannotReconcileException(sync + " is " + configuration.message(sync));
        }
        SourceRead reader;
        try {
            reader = SourceRead.of(camel, sync);
        } catch (IllegalArgumentException e) {
            throw new CannotReconcileException(e.getMessage(), e);
        }
        long started = System.nanoTime();
        boolean record = request.record() || request.repair();
        Long runId = record ? state.runs().open(sync, state.node(), RunRepository.RECONCILE) : null;
        Reconciliation result;
        try {
            // every vendor call of the reading (source and target) is kept out of the API-call log: a reconcile writes nothing
            result = ApiHttp.recordingTo(ApiCallRecorder.NONE, () -> compare(sync, runId, settings, spec, reader, window));
        } catch (RuntimeException e) {
            if (runId != null) {
                String message = "reconcile failed: " + e.getMessage();
                state.runs().close(runId, "failed", 0, 0, 0, 0, 0, message);
                listeners.forEach(l -> notify(() -> l.failed(sync, runId, message)));
            }
            throw e;
        }
        LOG.info("{}: reconciled in {} ms: {}", sync, (System.nanoTime() - started) / 1_000_000, result.summary());
        if (request.repair()) {
            result = repair(result, request.actor());
        }
        if (runId != null) {
            close(result);
            Reconciliation done = result;
            listeners.forEach(l -> notify(() -> l.reconciled(done)));
        }
        return result;
    }

    /** The window to compare, {from, to}, or {null, null} for a sync not read by window. */
    private Instant[] window(SyncSettings settings, Request request) {
        Windows.Spec spec = settings.window();
        if (spec == null) {
            if (request.from() != null || request.to() != null) {
                throw new CannotReconcileException(settings.sync() + " is not read by time window: --window does not apply (it is "
                        + "compared whole)");
            }
            return new Instant[] { null, null };
        }
        Instant now = Instant.now();
        String saved = state.offsets().find(settings.sync());
        Instant position = saved != null ? Instant.parse(saved) : now.minus(spec.lag());
        Instant from = request.from() != null ? request.from() : spec.start();
        Instant to = request.to() != null ? request.to() : position;
        if (!from.isBefore(to)) {
            throw new CannotReconcileException("the window's start " + from + " is not before its end " + to
                    + (request.to() == null ? " (the sync's saved position)" : ""));
        }
        if (to.isAfter(now)) {
            throw new CannotReconcileException("the window's end " + to + " is in the future");
        }
        return new Instant[] { from, to };
    }

    private Reconciliation compare(String sync, Long runId, SyncSettings settings, ReconcileSpec spec, SourceRead reader,
            Instant[] window) {
        Map<Kind, List<Finding>> findings = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            findings.put(k, new ArrayList<>());
        }
        // the source: every record, mapped as a run would map it now (with the target reference of its mark)
        Map<String, SourceRead.Item> source = new LinkedHashMap<>();
        SourceRead.Reading reading = reader.read(window[0] == null ? SourceRead.Start.beginning()
                : SourceRead.Start.between(window[0], window[1]), SourceRead.KnownKeys.of(state, sync), ApiCallRecorder.NONE,
                SourceRead.ALL);
        Instant askedFrom = window[0];
        int records = 0;
        for (SourceRead.Page page = reading.next(); page != null; page = reading.next()) {
            if (page.window() != null && askedFrom != null && page.window().askFrom().isBefore(askedFrom)) {
                // the source asked from a bound overlap before the window: the target is read from there too
                askedFrom = page.window().askFrom();
            }
            for (SourceRead.Item item : page.items()) {
                records++;
                if (item.verdict() == SourceRead.Verdict.SKIP_REPEATED) {
                    continue;
                }
                if (item.key() == null || item.row() == null) {
                    // rejected, or delivered before and its mapping fails on it now
                    findings.get(Kind.REJECTED).add(new Finding(item.key(), item.verdict().rejected() ? item.reason()
                            : "delivered before, but its mapping fails on it now", List.of(), item.record()));
                    continue;
                }
                source.putIfAbsent(item.key(), item);
            }
        }
        if (!reading.readToEnd() && !reading.warnings().isEmpty()) {
            throw new IllegalStateException("the source was not read to its end (" + String.join("; ", reading.warnings())
                    + "): a comparison would call records missing that were not read");
        }
        // the target: its rows by the key they hold
        List<Map<String, Object>> rows = TargetRows.read(camel, spec, askedFrom, window[1]);
        Map<String, Map<String, Object>> target = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            String key = Records.field(row, spec.targetKey());
            if (key == null) {
                key = caseInsensitive(row, spec.targetKey());
            }
            if (key == null) {
                throw new CannotReconcileException(sync + ": a row of its reconcileTarget has no " + spec.targetKey()
                        + " (reconcileKey names the target row's field that holds the sync's key); the row: " + row);
            }
            target.putIfAbsent(normalKey(key), row);
        }
        RowComparison comparison = new RowComparison(spec.fields(), spec.zone());
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, SourceRead.Item> e : source.entrySet()) {
            Map<String, Object> stored = target.get(normalKey(e.getKey()));
            if (stored == null) {
                missing.add(e.getKey());
                continue;
            }
            List<FieldDifference> fields = comparison.compare(e.getValue().row(), stored);
            if (!fields.isEmpty()) {
                findings.get(Kind.DIFFERENT).add(new Finding(e.getKey(), describe(fields), fields, e.getValue().record()));
            }
        }
        java.util.Set<String> sourceKeys = new java.util.HashSet<>();
        source.keySet().forEach(k -> sourceKeys.add(normalKey(k)));
        findings.get(Kind.REJECTED).forEach(f -> {
            if (f.key() != null) {
                sourceKeys.add(normalKey(f.key()));
            }
        });
        for (Map.Entry<String, Map<String, Object>> e : target.entrySet()) {
            if (!sourceKeys.contains(e.getKey())) {
                findings.get(Kind.EXTRA).add(new Finding(e.getKey(), "in the target, not in the source", List.of(), null));
            }
        }
        classifyMissing(sync, missing, source, findings);
        return new Reconciliation(sync, runId, window[0], window[1], records, rows.size(), findings, null);
    }

    /** Missing records by what the state says: marked synced, an open dead letter, or neither (the next run writes it). */
    private void classifyMissing(String sync, List<String> missing, Map<String, SourceRead.Item> source,
            Map<Kind, List<Finding>> findings) {
        if (missing.isEmpty()) {
            return;
        }
        Map<String, SyncedKey> marked = state.syncedKeys(sync).findSynced(missing);
        Map<String, DeadLetter> open = new LinkedHashMap<>();
        for (DeadLetter dl : state.deadLetters().open(sync)) {
            if (dl.key() != null) {
                open.putIfAbsent(dl.key(), dl);
            }
        }
        for (String key : missing) {
            Object record = source.get(key).record();
            if (marked.containsKey(key)) {
                SyncedKey k = marked.get(key);
                findings.get(Kind.MISSING_DELIVERED).add(new Finding(key, "delivered (marked synced"
                        + (k.targetRef() == null ? "" : ", target reference " + k.targetRef()) + ") but absent from the target",
                        List.of(), record));
            } else if (open.containsKey(key)) {
                DeadLetter dl = open.get(key);
                findings.get(Kind.MISSING_DEAD_LETTERED).add(new Finding(key, "not delivered: open dead letter " + dl.id() + ": "
                        + dl.errorMessage(), List.of(), record));
            } else {
                findings.get(Kind.MISSING_NOT_DELIVERED).add(new Finding(key, "not delivered yet: no synced mark; the next run that "
                        + "reads it writes it", List.of(), record));
            }
        }
    }

    /** Queues the delivered-but-missing and the different records for the sync's next run (under the sync's lock). */
    private Reconciliation repair(Reconciliation r, String actor) {
        List<SyncStateEdits.Requeue> queue = new ArrayList<>();
        for (Finding f : r.of(Kind.MISSING_DELIVERED)) {
            queue.add(new SyncStateEdits.Requeue(f.key(), Records.toJson(f.record()), ReconcileQueueRepository.MISSING));
        }
        for (Finding f : r.of(Kind.DIFFERENT)) {
            queue.add(new SyncStateEdits.Requeue(f.key(), Records.toJson(f.record()), ReconcileQueueRepository.DIFFERENT));
        }
        Repair repair;
        if (queue.isEmpty()) {
            repair = new Repair(0, null, null);
        } else {
            SyncStateEdits.Outcome o = state.stateEdits().requeue(r.sync(), r.runId(), queue, actor == null ? "unknown" : actor);
            repair = o.refused() ? new Repair(0, null, refusal(o.refusedBy(), r.runId()))
                    : new Repair(queue.size(), o.recorded().id(), null);
        }
        return new Reconciliation(r.sync(), r.runId(), r.from(), r.to(), r.sourceRecords(), r.targetRows(), r.findings(), repair);
    }

    private static String refusal(SyncStateEdits.RunningRun run, long reconcileRun) {
        return run.id() > reconcileRun && !"running".equals(run.kind())
                ? "run " + run.id() + " (" + run.kind() + ") started after this reconcile read the source and the target: reconcile again"
                : "run " + run.id() + " (" + run.kind() + ") on node " + run.node() + " is going on or started after this reconcile "
                        + "began; nothing was queued: reconcile again once it has ended";
    }

    /** Its run row closed and its findings saved (up to {@value #STORED_SAMPLES} samples per kind). */
    private void close(Reconciliation r) {
        List<ReconcileFindingRepository.Finding> stored = new ArrayList<>();
        for (Kind k : Kind.values()) {
            if (r.count(k) > 0) {
                String samples;
                try {
                    samples = JSON.writeValueAsString(r.samples(k, STORED_SAMPLES));
                } catch (JsonProcessingException e) {
                    samples = null;
                }
                stored.add(new ReconcileFindingRepository.Finding(r.runId(), k.label, r.count(k), samples));
            }
        }
        state.reconcileFindings().save(r.runId(), stored);
        String message = r.summary() + (r.repair() == null ? ""
                : r.repair().refused() != null ? "; repair refused: " + r.repair().refused()
                        : "; repair re-queued " + r.repair().queued() + " record(s) for the next run");
        state.runs().close(r.runId(), r.status(), 0, r.sourceRecords(), 0, 0, r.count(Kind.REJECTED), message);
    }

    private static String describe(List<FieldDifference> fields) {
        StringBuilder s = new StringBuilder();
        for (FieldDifference d : fields) {
            s.append(s.isEmpty() ? "" : "; ").append(d.field()).append(": source ").append(shown(d.source())).append(", target ")
                    .append(shown(d.target()));
        }
        return s.toString();
    }

    private static String shown(Object v) {
        Object p = Reconciliation.plain(v);
        return p == null ? "null" : p instanceof String s ? '"' + s + '"' : String.valueOf(p);
    }

    /** A key as both sides compare it: a number's text without trailing zeros. */
    private static String normalKey(String key) {
        if (key.matches("-?[0-9]+\\.0+")) {
            return key.substring(0, key.indexOf('.'));
        }
        return key;
    }

    private static String caseInsensitive(Map<String, Object> row, String field) {
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (e.getKey().equalsIgnoreCase(field) && e.getValue() != null) {
                return String.valueOf(e.getValue());
            }
        }
        return null;
    }

    private static void notify(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("reconcile listener failed: {}", e.toString());
        }
    }
}
