package io.ferry.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.deadletter.DeadLetterRepository.Stage;
import io.ferry.state.FerryState;
import io.ferry.state.SyncedKeyRepository.SyncedKey;

/**
 * {@code ferry:dedup}: takes a page (a list of records) and leaves only those to deliver. Records already synced
 * are counted as skipped (one query for the whole page); a record without its key is dead-lettered; a key
 * served twice in one run is delivered once.
 */
class DedupProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(DedupProducer.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final FerryState state;

    DedupProducer(FerryEndpoint endpoint, FerryState state) {
        super(endpoint);
        this.state = state;
    }

    @Override
    public void process(Exchange exchange) {
        SyncRun run = SyncRun.of(exchange);
        Object body = exchange.getIn().getBody();
        if (!(body instanceof List<?> page)) {
            throw new IllegalArgumentException("ferry:dedup expects the page's records as a list, got "
                    + (body == null ? "nothing" : body.getClass().getName()));
        }
        SyncSettings settings = run.settings();
        run.addRead(page.size());
        Map<String, Map<?, ?>> byKey = new LinkedHashMap<>();
        int skipped = 0;
        for (Object item : page) {
            if (!(item instanceof Map<?, ?> record)) {
                deadLetter(run, null, item, "record is not a JSON object");
                continue;
            }
            String key = Records.field(record, settings.keyField());
            if (key == null) {
                deadLetter(run, null, record, "record has no " + settings.keyField());
                continue;
            }
            if (byKey.containsKey(key) || run.pendingKeys().contains(key)) {
                skipped++;
                continue;
            }
            byKey.put(key, record);
        }
        Map<String, SyncedKey> synced = state.syncedKeys(settings.sync()).findSynced(byKey.keySet());
        run.knownOnPage().clear();
        List<Map<?, ?>> deliver = new ArrayList<>(byKey.size());
        for (Map.Entry<String, Map<?, ?>> e : byKey.entrySet()) {
            SyncedKey known = synced.get(e.getKey());
            if (known != null) {
                if (!settings.updateChanged() || Objects.equals(known.contentHash(), Records.contentHash(e.getValue()))) {
                    skipped++;
                    continue;
                }
                run.knownOnPage().put(e.getKey(), known);
            }
            deliver.add(e.getValue());
            run.pendingKeys().add(e.getKey());
        }
        run.addSkipped(skipped);
        exchange.getIn().setBody(deliver);
        if (run.progressDue(PROGRESS_EVERY)) {
            state.runs().progress(run.runId(), run.pages(), run.read(), run.skipped(), run.written(), run.failed());
            double secs = Math.max(0.001, run.elapsed().toMillis() / 1000.0);
            LOG.info("{}: run {} in progress: {} ({} records/s)", settings.sync(), run.runId(), run.summary(),
                    Math.round(run.read() / secs));
        }
    }

    private void deadLetter(SyncRun run, String key, Object record, String why) {
        state.deadLetters().add(run.syncName(), run.runId(), key, Stage.RECORD, Records.toJson(record),
                RecordRejectedException.class.getName(), why, 1);
        run.addFailed(1);
        LOG.warn("{}: a record was dead-lettered: {}", run.syncName(), why);
    }
}
