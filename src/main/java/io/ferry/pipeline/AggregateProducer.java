package io.ferry.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code ferry:aggregate?size=N&sink=URI}: adds a mapped row to the run's batch for that sink and writes the
 * batch once it holds N rows. Unlike Camel's aggregator this runs on the run's own thread, so a batch that
 * fails fails the run, and a key is marked only after the sink confirmed its row.
 */
class AggregateProducer extends DefaultProducer {

    private final BatchWriter writer;
    private final String sink;
    private final int size;

    AggregateProducer(FerryEndpoint endpoint, BatchWriter writer, String sink, int size) {
        super(endpoint);
        this.writer = writer;
        this.sink = sink;
        this.size = size;
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
        Batch batch = run.batch(sink, size);
        boolean full = batch.add(new Batch.Row(key, exchange.getIn().getHeader(MapProducer.HASH, String.class),
                exchange.getIn().getBody(), exchange.getIn().getHeader(MapProducer.OFFSET, String.class)));
        if (full) {
            writer.flush(run, batch);
        }
    }
}
