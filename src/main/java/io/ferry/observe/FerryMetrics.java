package io.ferry.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.ferry.http.ApiCall;
import io.ferry.http.CallBudget;
import io.ferry.http.ApiCallRecorder;
import io.ferry.pipeline.SyncRegistry;
import io.ferry.pipeline.SyncRegistry.RunListener;
import io.ferry.pipeline.SyncRun;
import io.ferry.reconcile.ReconcileListener;
import io.ferry.state.RunRepository;

/**
 * Ferry's meters (scraped at /observe/metrics): {@code ferry_records_total{sync,outcome}} (finished runs plus the run
 * going on now, so the counters move during a run), {@code ferry_run_seconds{sync,status}},
 * {@code ferry_last_success_timestamp_seconds{sync}}, {@code ferry_api_call_seconds{system,endpoint}} and
 * {@code ferry_dead_letters_open{sync}}, and per vendor call budget (docs/rate-limits.md)
 * {@code ferry_vendor_pace{budget,limit}} (the calls per second, per minute and at once paced now; 0 is no limit) and
 * {@code ferry_vendor_refusals_total{budget}}; per sync reconciled, {@code ferry_reconcile_differences{sync,kind}} (what its
 * last reconcile found: missing, extra, different) and {@code ferry_reconcile_runs_total{sync,result}} (in-agreement,
 * differences, failed). Until a registry is attached (metrics off) every method does nothing.
 */
public class FerryMetrics implements RunListener, ApiCallRecorder, ReconcileListener {

    /** The outcomes counted per sync, and where a run keeps each count. */
    private static final String[] OUTCOMES = { "read", "skipped", "written", "failed" };
    private static final List<ToIntFunction<SyncRun>> COUNTS = List.of(SyncRun::read, SyncRun::skipped, SyncRun::written,
            SyncRun::failed);

    private final OpenDeadLetters deadLetters;
    private final SyncRegistry syncs;
    private final RunRepository runs;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    /** per sync and outcome: the records of the runs that ended in this process */
    private final Map<String, long[]> ended = new ConcurrentHashMap<>();
    /** per sync: the last run already in {@link #ended}, so that it is not counted twice while it closes */
    private final Map<String, SyncRun> counted = new ConcurrentHashMap<>();
    /** per sync: epoch seconds of the end of its last successful run */
    private final Map<String, Double> lastSuccess = new ConcurrentHashMap<>();
    /** per sync and kind (missing, extra, different): what its last reconcile found */
    private final Map<String, double[]> reconciled = new ConcurrentHashMap<>();
    private static final String[] RECONCILE_KINDS = { "missing", "extra", "different" };
    private volatile MeterRegistry registry;
    private final java.util.Set<CallBudget> budgets = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public FerryMetrics(OpenDeadLetters deadLetters, SyncRegistry syncs, RunRepository runs) {
        this.deadLetters = deadLetters;
        this.syncs = syncs;
        this.runs = runs;
    }

    /** Attaches the registry and registers every series of each sync known now. */
    public void attach(MeterRegistry registry, Iterable<String> names) {
        this.registry = registry;
        budgets.forEach(this::budget);
        for (String sync : names) {
            register(registry, sync);
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    // every series exists from the start, so that rate() and alerts on them work before the first run ends
    private void register(MeterRegistry r, String sync) {
        if (!registered.add(sync)) {
            return;
        }
        Gauge.builder("ferry.dead.letters.open", deadLetters, d -> safeOpen(d, sync)).tag("sync", sync)
                .description("dead letters of the sync not yet replayed or discarded").register(r);
        for (int i = 0; i < OUTCOMES.length; i++) {
            int index = i;
            FunctionCounter.builder("ferry.records", this, m -> m.total(sync, index))
                    .tag("sync", sync).tag("outcome", OUTCOMES[i])
                    .description("records by outcome, of the runs that ended and the one going on").register(r);
        }
        try {
            Instant last = runs.lastEnded(sync, "succeeded");
            if (last != null) {
                lastSuccess.put(sync, last.toEpochMilli() / 1000.0);
            }
        } catch (RuntimeException e) {
            // the state database is down: the gauge has no value until the next success
        }
        Gauge.builder("ferry.last.success.timestamp", lastSuccess, m -> m.getOrDefault(sync, Double.NaN))
                .tag("sync", sync).baseUnit("seconds").description("when the sync's last successful run ended (epoch)")
                .register(r);
    }

    private synchronized double total(String sync, int index) {
        long[] done = ended.get(sync);
        double sum = done == null ? 0 : done[index];
        SyncRun now = syncs.current(sync);
        if (now != null && now != counted.get(sync)) {
            sum += COUNTS.get(index).applyAsInt(now);
        }
        return sum;
    }

    private static double safeOpen(OpenDeadLetters d, String sync) {
        try {
            return d.open(sync);
        } catch (RuntimeException e) {
            // the state database is down: the health check says so; the gauge reports no value
            return Double.NaN;
        }
    }

    @Override
    public void runEnded(SyncRun run, String status, String message) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        String sync = run.syncName();
        register(r, sync);
        synchronized (this) {
            long[] done = ended.computeIfAbsent(sync, s -> new long[OUTCOMES.length]);
            for (int i = 0; i < OUTCOMES.length; i++) {
                done[i] += COUNTS.get(i).applyAsInt(run);
            }
            counted.put(sync, run);
        }
        if ("succeeded".equals(status)) {
            lastSuccess.put(sync, System.currentTimeMillis() / 1000.0);
        }
        Timer.builder("ferry.run").tag("sync", sync).tag("status", status).description("duration of sync runs")
                .register(r).record(run.elapsed());
    }

    @Override
    public void reconciled(io.ferry.reconcile.Reconciliation result) {
        double[] found = { result.missing(), result.count(io.ferry.reconcile.Reconciliation.Kind.EXTRA),
                result.count(io.ferry.reconcile.Reconciliation.Kind.DIFFERENT) };
        reconcileEnded(result.sync(), found, result.differences() == 0 ? "in-agreement" : "differences");
    }

    @Override
    public void failed(String sync, long runId, String message) {
        reconcileEnded(sync, null, "failed");
    }

    private void reconcileEnded(String sync, double[] found, String result) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        if (found != null) {
            boolean first = reconciled.put(sync, found) == null;
            if (first) {
                for (int i = 0; i < RECONCILE_KINDS.length; i++) {
                    int index = i;
                    Gauge.builder("ferry.reconcile.differences", reconciled, m -> m.get(sync)[index]).tag("sync", sync)
                            .tag("kind", RECONCILE_KINDS[i]).description("records the sync's last reconcile found missing, extra or different")
                            .register(r);
                }
            }
        }
        io.micrometer.core.instrument.Counter.builder("ferry.reconcile.runs").tag("sync", sync).tag("result", result)
                .description("reconciles by result").register(r).increment();
    }

    /** Registers the meters of a vendor call budget (its name says the vendor and the app key, never a secret). */
    public void budget(CallBudget budget) {
        budgets.add(budget);
        MeterRegistry r = registry;
        if (r == null) {
            return; // registered when the registry is attached
        }
        Gauge.builder("ferry.vendor.pace", budget, b -> b.paced().perSecond()).tag("budget", budget.name())
                .tag("limit", "per_second").description("calls per second paced now (0: no limit)").register(r);
        Gauge.builder("ferry.vendor.pace", budget, b -> b.paced().perMinute()).tag("budget", budget.name())
                .tag("limit", "per_minute").description("calls per minute paced now (0: no limit)").register(r);
        Gauge.builder("ferry.vendor.pace", budget, b -> b.paced().concurrent()).tag("budget", budget.name())
                .tag("limit", "at_once").description("calls at once paced now (0: no limit)").register(r);
        FunctionCounter.builder("ferry.vendor.refusals", budget, CallBudget::refusals).tag("budget", budget.name())
                .description("rate-limit refusals the vendor answered").register(r);
    }

    @Override
    public void record(ApiCall call) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        Timer.builder("ferry.api.call").tag("system", String.valueOf(call.system()))
                .tag("endpoint", call.endpoint() == null ? "" : call.endpoint()).description("vendor API calls")
                .register(r).record(Duration.ofMillis(call.latencyMillis()).toNanos(), TimeUnit.NANOSECONDS);
    }
}
