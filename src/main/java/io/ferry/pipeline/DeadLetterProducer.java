package io.ferry.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.deadletter.DeadLetterRepository.Stage;
import io.ferry.state.FerryState;

/** {@code ferry:dead-letter}: the handler of a rejected record (see routes/ferry-sync.yaml). */
class DeadLetterProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProducer.class);

    private final FerryState state;

    DeadLetterProducer(FerryEndpoint endpoint, FerryState state) {
        super(endpoint);
        this.state = state;
    }

    @Override
    public void process(Exchange exchange) {
        SyncRun run = SyncRun.of(exchange);
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        RecordRejectedException rejected = RunCompletion.find(caught, RecordRejectedException.class);
        String key = rejected != null ? rejected.getRecordKey() : exchange.getIn().getHeader(MapProducer.KEY, String.class);
        Object payload = rejected != null ? rejected.getPayload() : exchange.getIn().getBody();
        String message = caught == null ? "rejected" : caught.getMessage();
        state.deadLetters().add(run.syncName(), run.runId(), key, Stage.RECORD, Records.toJson(payload),
                caught == null ? null : caught.getClass().getName(), message, 1);
        run.addFailed(1);
        if (key != null) {
            run.pendingKeys().remove(key);
        }
        LOG.warn("{}: record {} dead-lettered: {}", run.syncName(), key == null ? "(no key)" : key, message);
    }
}
