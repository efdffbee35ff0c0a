package io.ferry.pipeline;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.kernel.Failure;

/**
 * The retry policy of the routes ({@code ferry.retry.*}) for the state writes a run makes inside a step (the marks
 * and the offset after a batch): a step that wrote a batch cannot be retried by Camel without losing the batch, so
 * such a write that fails for a lost connection is tried again here, with the same attempts and back-off, before the
 * run fails. The writes are idempotent (upserts).
 */
final class StateWriteRetries {

    private static final Logger LOG = LoggerFactory.getLogger(StateWriteRetries.class);

    private final int maxRedeliveries;
    private final long initialDelay;
    private final double multiplier;
    private final long maxDelay;

    StateWriteRetries(int maxRedeliveries, long initialDelay, double multiplier, long maxDelay) {
        this.maxRedeliveries = maxRedeliveries;
        this.initialDelay = initialDelay;
        this.multiplier = multiplier;
        this.maxDelay = maxDelay;
    }

    static StateWriteRetries of(CamelContext camel) {
        return new StateWriteRetries(Integer.parseInt(property(camel, "ferry.retry.max-redeliveries", "5")),
                Long.parseLong(property(camel, "ferry.retry.initial-delay", "1000")),
                Double.parseDouble(property(camel, "ferry.retry.multiplier", "2")),
                Long.parseLong(property(camel, "ferry.retry.max-delay", "60000")));
    }

    /** Runs the write; a transient failure is tried again up to the policy's attempts, any other is thrown at once. */
    void run(String what, Runnable write) {
        long delay = initialDelay;
        for (int redelivery = 0;; redelivery++) {
            try {
                write.run();
                return;
            } catch (RuntimeException e) {
                if (redelivery >= maxRedeliveries || Failure.of(e) != Failure.TRANSIENT) {
                    throw e;
                }
                LOG.warn("{} failed ({}); trying again in {} ms ({} of {})", what, e.getMessage(), delay, redelivery + 1,
                        maxRedeliveries);
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                delay = Math.min(maxDelay, Math.round(delay * multiplier));
            }
        }
    }

    private static String property(CamelContext camel, String key, String dflt) {
        return camel.getPropertiesComponent().resolveProperty(key).map(String::strip).filter(v -> !v.isEmpty()).orElse(dflt);
    }
}
