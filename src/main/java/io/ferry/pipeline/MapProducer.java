package io.ferry.pipeline;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

import io.ferry.kernel.Records;
import io.ferry.mapping.JsonataMapping;
import io.ferry.state.SyncedKeyRepository.SyncedKey;

/**
 * {@code ferry:map}: maps one source record to the target's shape, and keeps its key, content hash and offset in
 * headers for {@code ferry:aggregate}. A record the mapping fails on is dead-lettered here, with the mapping's
 * message, and marked {@value #REJECTED} so that {@code ferry:aggregate} passes it by; the run goes on unless it
 * has now rejected more than its error limit allows. (Throwing for every rejection would end the split: a splitter
 * that stops on exceptions also stops on handled ones.)
 */
class MapProducer extends DefaultProducer {

    static final String KEY = "FerryKey";
    static final String HASH = "FerryHash";
    static final String OFFSET = "FerryOffset";
    static final String REJECTED = "FerryRejected";

    private final JsonataMapping mapping;
    private final DeadLetters deadLetters;

    MapProducer(FerryEndpoint endpoint, JsonataMapping mapping, DeadLetters deadLetters) {
        super(endpoint);
        this.mapping = mapping;
        this.deadLetters = deadLetters;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        SyncRun run = SyncRun.of(exchange);
        run.addTried(1);
        Object body = exchange.getIn().getBody();
        if (!(body instanceof Map<?, ?> raw)) {
            reject(exchange, run, null, body, "ferry:map expects one record (a JSON object), got "
                    + (body == null ? "nothing" : body.getClass().getSimpleName()));
            return;
        }
        Map<String, Object> record = (Map<String, Object>) raw;
        SyncSettings settings = run.settings();
        String key = Records.field(record, settings.keyField());
        if (key == null) {
            reject(exchange, run, null, record, "record has no " + settings.keyField());
            return;
        }
        SyncedKey known = run.knownOnPage().get(key);
        Map<String, Object> mapped;
        try {
            mapped = mapping.apply(record, key, known == null ? null : known.targetRef(), settings.sync());
        } catch (JsonataMapping.MappingException e) {
            reject(exchange, run, key, record, e.getMessage() + " (" + settings.keyField() + "=" + key + ")");
            return;
        }
        exchange.getIn().setHeader(KEY, key);
        if (settings.updateChanged()) {
            // only a sync that sends changed records again compares hashes; hashing every record as sorted JSON
            // was 6% of a sync's CPU. A sync switched to updateChanged later sends its unhashed keys once more.
            exchange.getIn().setHeader(HASH, Records.contentHash(record));
        }
        if (settings.offsetField() != null) {
            exchange.getIn().setHeader(OFFSET, Records.field(record, settings.offsetField()));
        }
        exchange.getIn().setBody(mapped);
    }

    private void reject(Exchange exchange, SyncRun run, String key, Object record, String why) {
        deadLetters.reject(run, key, record, why);
        exchange.getIn().setHeader(REJECTED, true);
        // past the error limit the run stops here (the exception ends the split and the run)
        run.checkErrorLimit();
    }
}
