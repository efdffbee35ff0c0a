package io.ferry.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code ferry:aggregate?size=N&sink=URI&concurrency=C}: adds a mapped row to the run's batch for that sink and
 * writes the batch once it holds N rows, with up to C batches being written at once (default 1); confirmed keys
 * are marked every {@code markEvery} rows (default 100; 1 for a target that must never see a record twice). Unlike Camel's aggregator this runs on the run's own thread, so a batch that
 * fails fails the run, and a key is marked only after the sink confirmed its row.
 */
class AggregateProducer extends DefaultProducer {

    private final BatchWriter writer;
    private final String sink;
    private final int size;
    private final int concurrency;
    private final int markEvery;

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
        if (exchange.getIn().getHeader(MapProducer.REJECTED, false, Boolean.class)) {
            return;
        }
        String key = exchange.getIn().getHeader(MapProducer.KEY, String.class);
        if (key == null) {
            throw new IllegalStateException("ferry:aggregate needs a record that went through ferry:map (no FerryKey header)");
        }
        if (concurrency > 1 && run.settings().offsetField() != null) {
            throw new IllegalStateException(run.syncName() + ": ferry:aggregate concurrency=" + concurrency
                    + " cannot serve an incremental sync (offsetField): its offset must follow the records in order");
        }
        Batch batch = run.batch(sink, size, concurrency, markEvery);
        boolean full = batch.add(new Batch.Row(key, exchange.getIn().getHeader(MapProducer.HASH, String.class),
                exchange.getIn().getBody(), exchange.getIn().getHeader(MapProducer.OFFSET, String.class)));
        if (full) {
            writer.flush(run, batch);
            // rows the target refused count toward the error limit
            run.checkErrorLimit();
        }
    }
}
