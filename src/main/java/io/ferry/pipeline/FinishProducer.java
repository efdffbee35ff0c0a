package io.ferry.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.state.FerryState;

/**
 * {@code ferry:finish}: writes the last partial batches, fails the run if its rejections passed the error limit,
 * else saves the offset reached and closes the run as succeeded.
 */
class FinishProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(FinishProducer.class);

    private final BatchWriter writer;
    private final FerryState state;

    FinishProducer(FerryEndpoint endpoint, BatchWriter writer, FerryState state) {
        super(endpoint);
        this.writer = writer;
        this.state = state;
    }

    @Override
    public void process(Exchange exchange) {
        SyncRun run = SyncRun.of(exchange);
        writer.flushAll(run);
        run.checkErrorLimit();
        // below the error limit the offset moves past what was dead-lettered (rule 2)
        run.releaseOffset();
        java.time.Instant windowsRead = run.paging().windows() == null ? null : run.paging().windows().endedThroughLastPage();
        if (windowsRead != null) {
            // every page of these windows went through the route and its rows were just written
            run.setConfirmedOffset(windowsRead.toString());
        }
        writer.markConfirmed(run);
        String reached = run.paging().cursor(null);
        if (run.settings().offsetField() != null && reached != null) {
            state.offsets().save(run.syncName(), reached, run.runId());
        }
        if (run.hasOpenDeadLetters() && run.paging().readToEnd()) {
            resolvePages(run);
        }
        String warnings = run.warnings().isEmpty() ? null : "warning: " + String.join("; ", run.warnings());
        run.close(state, ((FerryComponent) getEndpoint().getComponent()).syncs(), "succeeded", warnings);
        if (run.written() == 0 && run.failed() == 0) {
            LOG.info("{}: run {} succeeded, nothing new to write: {}", run.syncName(), run.runId(), run.summary());
        } else if (run.failed() > 0) {
            // each rejected record was a warning of its own already
            LOG.info("{}: run {} succeeded below its error limit; {} rejected record(s) are in the dead-letter table: {}",
                    run.syncName(), run.runId(), run.failed(), run.summary());
        } else {
            LOG.info("{}: run {} succeeded: {}", run.syncName(), run.runId(), run.summary());
        }
        if (warnings != null) {
            LOG.warn("{}: run {} {}", run.syncName(), run.runId(), warnings);
        }
    }

    /**
     * A run that read the source to its end has read every page that earlier runs could not: a whole-scan run from
     * the first page (or from where the failed run stopped), an incremental run from an offset that never moved past
     * an unread page. Their PAGE dead letters are closed; one that cannot be closed now is closed by the next run.
     */
    private void resolvePages(SyncRun run) {
        try {
            int closed = state.deadLetters().resolvePages(run.syncName(), run.runId(),
                    "run " + run.runId() + " read the source to its end");
            if (closed > 0) {
                LOG.info("{}: run {} read the source to its end; {} unreadable page(s) of earlier runs closed as resolved",
                        run.syncName(), run.runId(), closed);
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: the unreadable pages of earlier runs could not be closed now: {}", run.syncName(), e.getMessage());
        }
    }
}
