package io.ferry.observe;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.pipeline.SyncRegistry.RunListener;
import io.ferry.pipeline.SyncRun;
import io.ferry.reconcile.ReconcileListener;

/**
 * Decides, at each run's end, what to tell operators: a vendor rejected the credentials (a failed run whose error
 * matches {@code ferry.alerts.credential-pattern}), a run failed, or the sync's open dead letters grew; and at each
 * recorded reconcile's end, that it found differences or could not be made. Alerts are
 * masked, throttled per kind and sync, and posted off the run's thread.
 */
public class AlertNotifier extends ServiceSupport implements RunListener, ReconcileListener {

    private static final Logger LOG = LoggerFactory.getLogger(AlertNotifier.class);

    private final List<AlertSink> sinks;
    private final AlertThrottle throttle;
    private final Pattern credentialError;
    private final OpenDeadLetters deadLetters;
    private final SecretMasker masker;
    private final String node;
    /** open dead letters per sync when last looked at; seeded at start */
    private final Map<String, Integer> lastOpen = new ConcurrentHashMap<>();
    private ExecutorService sender;

    public AlertNotifier(List<AlertSink> sinks, AlertThrottle throttle, Pattern credentialError, OpenDeadLetters deadLetters,
            SecretMasker masker, String node) {
        this.sinks = List.copyOf(sinks);
        this.throttle = throttle;
        this.credentialError = credentialError;
        this.deadLetters = deadLetters;
        this.masker = masker;
        this.node = node;
    }

    @Override
    protected void doStart() {
        sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ferry-alerts");
            t.setDaemon(true);
            return t;
        });
        if (!sinks.isEmpty()) {
            try {
                lastOpen.putAll(deadLetters.refresh());
            } catch (RuntimeException e) {
                LOG.warn("alerts: open dead letters cannot be read at start: {}", e.getMessage());
            }
            LOG.info("alerts go to {}", sinks.stream().map(AlertSink::describe).toList());
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        if (sender != null) {
            // alerts already decided are still sent
            sender.shutdown();
            sender.awaitTermination(15, TimeUnit.SECONDS);
            sender = null;
        }
    }

    @Override
    public void runEnded(SyncRun run, String status, String message) {
        if (sinks.isEmpty()) {
            return;
        }
        String sync = run.syncName();
        if ("failed".equals(status)) {
            if (message != null && credentialError.matcher(message).find()) {
                raise("credentials-rejected", sync, run.runId(), "run " + run.runId()
                        + " failed: the vendor rejected Ferry's credentials: " + message);
            } else {
                raise("run-failed", sync, run.runId(), "run " + run.runId() + " failed: " + message);
            }
        }
        try {
            int now = deadLetters.refresh().getOrDefault(sync, 0);
            Integer before = lastOpen.put(sync, now);
            int was = before == null ? 0 : before;
            if (now > was) {
                raise("dead-letters-grew", sync, run.runId(), "open dead letters grew from " + was + " to " + now
                        + " (run " + run.runId() + ")");
            }
        } catch (RuntimeException e) {
            LOG.warn("alerts: open dead letters of {} cannot be read: {}", sync, e.getMessage());
        }
    }

    @Override
    public void reconciled(io.ferry.reconcile.Reconciliation result) {
        if (sinks.isEmpty() || result.differences() == 0) {
            return;
        }
        raise("reconcile-differences", result.sync(), result.runId(), "reconcile run " + result.runId() + " found differences: "
                + result.summary() + (result.repair() == null ? ""
                        : result.repair().refused() != null ? "; repair refused: " + result.repair().refused()
                                : "; " + result.repair().queued() + " re-queued for the next run"));
    }

    @Override
    public void failed(String sync, long runId, String message) {
        if (!sinks.isEmpty()) {
            raise("reconcile-failed", sync, runId, "reconcile run " + runId + " failed: " + message);
        }
    }

    private void raise(String kind, String sync, Long runId, String message) {
        if (!throttle.allow(kind + ":" + sync)) {
            LOG.debug("alert {} for {} held back: one went out within the window", kind, sync);
            return;
        }
        Alert alert = new Alert(kind, sync, runId, masker.mask(message), node, Instant.now());
        ExecutorService s = sender;
        if (s == null || s.isShutdown()) {
            return;
        }
        s.submit(() -> {
            for (AlertSink sink : sinks) {
                try {
                    sink.send(alert);
                    LOG.info("alert {} for {} sent to {}", kind, sync, sink.describe());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    LOG.warn("alert {} for {} could not be sent to {}: {}", kind, sync, sink.describe(), e.getMessage());
                }
            }
        });
    }
}
