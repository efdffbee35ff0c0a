package io.ferry.pipeline;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code ferry:aggregate?size=N&sink=URI&concurrency=C}: adds mapped rows to the run's batch for that sink and
 * writes the batch each time it holds N rows, with up to C batches being written at once (default 1); confirmed keys
 * are marked every {@code markEvery} rows (default 100; 1 for a target that must never see a record twice). It takes
 * one row (after {@code ferry:map} inside a split) or a mapped page ({@code ferry:map} on the page: the rows in
 * {@value MapProducer#ROWS}). Unlike Camel's aggregator this runs on the run's own thread, so a batch that fails fails
 * the run, and a key is marked only after the sink confirmed its row.
 * <p>
 * A page whose step is tried again goes on from the row it stopped at: a row already handed to a batch is never
 * added, and so never written, twice.
 */
class AggregateProducer extends DefaultProducer {

    /** How many rows of the page on this exchange were handed to the batch, should the step be tried again. */
    private static final String HANDED_OVER = "FerryAggregated";

    private final BatchWriter writer;
    private final String sink;
    private final int size;
    private final int concurrency;
    private final int markEvery;

    /** The rows of one page and how many of them went to the batch. */
    private static final class Progress {
        final List<?> rows;
        int next;

        Progress(List<?> rows) {
            this.rows = rows;
        }
    }

    AggregateProducer(FerryEndpoint endpoint, BatchWriter writer, String sink, int size, int concurrency, int markEvery) {
        super(endpoint);
        this.writer = writer;
        this.sink = sink;
        this.size = size;
        this.concurrency = concurrency;
        this.markEvery = markEvery;
    }

    @Override
    public void process(Exchange exchange) {
        SyncRun run = SyncRun.of(exchange);
        if (concurrency > 1 && run.settings().offsetField() != null) {
            throw new IllegalStateException(run.syncName() + ": ferry:aggregate concurrency=" + concurrency
                    + " cannot serve an incremental sync (offsetField): its offset must follow the records in order");
        }
        List<?> rows = exchange.getIn().getHeader(MapProducer.ROWS, List.class);
        if (rows != null) {
            addPage(exchange, run, rows);
            return;
        }
        if (exchange.getIn().getHeader(MapProducer.REJECTED, false, Boolean.class)) {
            return;
        }
        String key = exchange.getIn().getHeader(MapProducer.KEY, String.class);
        if (key == null) {
            throw new IllegalStateException("ferry:aggregate needs a record that went through ferry:map (no FerryKey header)");
        }
        add(run, new Batch.Row(key, exchange.getIn().getHeader(MapProducer.HASH, String.class),
                exchange.getIn().getBody(), exchange.getIn().getHeader(MapProducer.OFFSET, String.class)));
    }

    private void addPage(Exchange exchange, SyncRun run, List<?> rows) {
        Progress p = exchange.getProperty(HANDED_OVER, Progress.class);
        if (p == null || p.rows != rows) {
            p = new Progress(rows);
            exchange.setProperty(HANDED_OVER, p);
        }
        while (p.next < rows.size()) {
            // counted before the batch is written: should writing fail and the step be tried again, this row is in
            // the batch that failed and is not added to the next one
            Batch.Row row = (Batch.Row) rows.get(p.next++);
            add(run, row);
        }
        exchange.removeProperty(HANDED_OVER);
        exchange.getIn().removeHeader(MapProducer.ROWS);
    }

    private void add(SyncRun run, Batch.Row row) {
        Batch batch = run.batch(sink, size, concurrency, markEvery);
        if (batch.add(row)) {
            writer.flush(run, batch);
            // rows the target refused count toward the error limit
            run.checkErrorLimit();
        }
    }
}
