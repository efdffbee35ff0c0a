package io.ferry.observe;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.ferry.http.ApiCall;
import io.ferry.http.ApiCallRecorder;
import io.ferry.pipeline.SyncRegistry.RunListener;
import io.ferry.pipeline.SyncRun;

/**
 * Ferry's meters in the MeterRegistry that camel-micrometer-prometheus binds (scraped at /observe/metrics):
 * {@code ferry_records_total{sync,outcome}}, {@code ferry_run_seconds{sync,status}},
 * {@code ferry_api_call_seconds{system,endpoint}} and {@code ferry_dead_letters_open{sync}}.
 * Until a registry is attached (metrics off) every method does nothing.
 */
public class FerryMetrics implements RunListener, ApiCallRecorder {

    private final OpenDeadLetters deadLetters;
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;

    public FerryMetrics(OpenDeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** Attaches the registry and registers a dead-letter gauge for each sync known now. */
    public void attach(MeterRegistry registry, Iterable<String> syncs) {
        this.registry = registry;
        for (String sync : syncs) {
            gauge(sync);
            // every series exists from the start, so that rate() and alerts on them work before the first run ends
            for (String outcome : new String[] { "read", "skipped", "written", "failed" }) {
                count(registry, sync, outcome, 0);
            }
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    private void gauge(String sync) {
        MeterRegistry r = registry;
        if (r != null && gauged.add(sync)) {
            Gauge.builder("ferry.dead.letters.open", deadLetters, d -> safeOpen(d, sync)).tag("sync", sync)
                    .description("dead letters of the sync not yet replayed or discarded").register(r);
        }
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
        count(r, sync, "read", run.read());
        count(r, sync, "skipped", run.skipped());
        count(r, sync, "written", run.written());
        count(r, sync, "failed", run.failed());
        Timer.builder("ferry.run").tag("sync", sync).tag("status", status).description("duration of sync runs")
                .register(r).record(run.elapsed());
        gauge(sync);
    }

    private static void count(MeterRegistry r, String sync, String outcome, int n) {
        Counter c = Counter.builder("ferry.records").tag("sync", sync).tag("outcome", outcome)
                .description("records by outcome, summed over finished runs").register(r);
        if (n > 0) {
            c.increment(n);
        }
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
