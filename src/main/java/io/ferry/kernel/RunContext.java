package io.ferry.kernel;

import org.apache.camel.Exchange;

/**
 * What a connector may know of the run an exchange belongs to: which sync and run it is (for the API-call log), its
 * paging state (to ask for the right page and report what came back) and the records' key field. The run itself
 * (counts, batches, dead letters) belongs to the pipeline, which connectors do not import.
 */
public interface RunContext {

    /** The exchange property that carries the run through a sync route. */
    String PROPERTY = "FerryRun";

    /** The header of a batch handed to a sink: the business keys of its rows, in row order. */
    String ROW_KEYS_HEADER = "FerryRowKeys";

    String syncName();

    long runId();

    Paging paging();

    /** The field that holds each record's business key. */
    String keyField();

    /**
     * Values a source's request parameters may use beside its page position: the bounds of the time window being
     * read, as instants (the source writes them in its API's format); empty when the sync reads no windows.
     */
    default java.util.Map<String, Object> placeholders() {
        Windows windows = paging().windows();
        Windows.Window w = windows == null ? null : windows.current();
        return w == null ? java.util.Map.of() : java.util.Map.of("windowStart", w.askFrom(), "windowEnd", w.to());
    }

    /**
     * Called on the route's thread when the source is about to read the next page ahead, while the route works on
     * this one: what it returns is given that page's records on the thread that reads it, so that the run can start
     * its own work on them there (the pipeline looks up which of their keys are synced). Null: nothing to do (the
     * default).
     */
    default PageAhead readingAhead() {
        return null;
    }

    /** The run's work on a page read ahead, done on the thread that read it (see {@link #readingAhead()}). */
    interface PageAhead {
        /** The records of the page read ahead, once they are out of the answer; must not throw. */
        void read(java.util.List<java.util.Map<String, Object>> records);
    }

    /** The run of this exchange; fails when the route did not call ferry:start first. */
    static RunContext of(Exchange exchange) {
        RunContext run = find(exchange);
        if (run == null) {
            throw new IllegalStateException("no Ferry run on this exchange: the route must call ferry:start first (route "
                    + exchange.getFromRouteId() + ")");
        }
        return run;
    }

    /** The run of this exchange, or null outside a sync run (a sink called by another route). */
    static RunContext find(Exchange exchange) {
        Object run = exchange.getProperty(PROPERTY);
        return run instanceof RunContext r ? r : null;
    }
}
