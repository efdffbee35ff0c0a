package io.ferry.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.kernel.SourceException;
import io.ferry.kernel.ConfigurationException;
import io.ferry.kernel.RateLimitExhaustedException;
import io.ferry.state.DeadLetterRepository.Stage;
import io.ferry.state.FerryState;

/**
 * Closes the run row however the route ended: {@code ferry:finish} closes a run that went well; a run whose
 * exchange failed is closed here as {@code failed} (or {@code partial} when the vendor's rate limit outlasted
 * the configured wait), with the error, and an unreadable page is kept as a dead letter. A run stopped by its
 * error limit keeps an incremental sync's offset before the first record it rejected.
 */
class RunCompletion extends SynchronizationAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RunCompletion.class);

    private final SyncRun run;
    private final FerryState state;
    private final SyncRegistry syncs;
    private final BatchWriter writer;

    RunCompletion(SyncRun run, FerryState state, SyncRegistry syncs, BatchWriter writer) {
        this.run = run;
        this.state = state;
        this.syncs = syncs;
        this.writer = writer;
    }

    @Override
    public void onComplete(Exchange exchange) {
        try {
            if (!run.isFinished()) {
                close("failed", "the route ended without reaching ferry:finish", null);
            }
        } finally {
            syncs.finished(run.syncName());
        }
    }

    @Override
    public void onFailure(Exchange exchange) {
        try {
            if (run.isFinished()) {
                return;
            }
            // batches still being written: what the sink confirms is marked before the run is closed
            writer.settleAll(run);
            Throwable error = exchange.getException();
            SourceException bad = find(error, SourceException.class);
            if (bad != null && bad.getRawPage() != null) {
                keepPage(bad);
            }
            ErrorLimitExceededException limit = find(error, ErrorLimitExceededException.class);
            if (limit == null) {
                // a failure of another kind: the offset moves past what was delivered or dead-lettered, as always
                run.releaseOffset();
            }
            if (find(error, RateLimitExhaustedException.class) != null) {
                // the sink is fine: deliver what was read before stopping, so the next run has less to do
                try {
                    writer.flushAll(run);
                } catch (RuntimeException e) {
                    LOG.warn("{}: could not write the pending rows of a partial run: {}", run.syncName(), e.getMessage());
                }
                markConfirmed();
                close("partial", describe(error), error);
            } else {
                markConfirmed();
                close("failed", limit != null ? limit.getMessage() : describe(error), error);
            }
        } finally {
            syncs.finished(run.syncName());
        }
    }

    /** Rows the target confirmed before the failure keep their marks, so the next run does not send them again. */
    private void markConfirmed() {
        try {
            writer.markConfirmed(run);
        } catch (RuntimeException e) {
            LOG.warn("{}: could not mark the {} keys confirmed before the failure (the next run writes them again): {}",
                    run.syncName(), run.confirmed().size(), e.getMessage());
        }
    }

    private void keepPage(SourceException bad) {
        try {
            state.deadLetters().add(run.syncName(), run.runId(), null, Stage.PAGE, bad.getRawPage(),
                    bad.getClass().getName(), bad.getMessage(), 1);
        } catch (RuntimeException e) {
            LOG.warn("{}: could not keep the unreadable page: {}", run.syncName(), e.getMessage());
        }
    }

    private void close(String status, String message, Throwable error) {
        run.close(state, syncs, status, message);
        LOG.error("{}: run {} {}: {} ({})", run.syncName(), run.runId(), status, message, run.summary());
    }

    static String describe(Throwable error) {
        if (error == null) {
            return "unknown error";
        }
        ConfigurationException configuration = find(error, ConfigurationException.class);
        if (configuration != null) {
            // written for the operator: the target's own words, or the properties to check
            return configuration.getMessage();
        }
        Throwable t = error;
        // Camel wraps the interesting exception; show the innermost message that says something
        // (a split's "Multicast processing failed for number N" included)
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof org.apache.camel.CamelExecutionException
                || t instanceof org.apache.camel.CamelExchangeException)) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
