package io.ferry.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private final DeadLetters deadLetters;
    private final BatchWriter writer;

    DedupProducer(FerryEndpoint endpoint, FerryState state, DeadLetters deadLetters, BatchWriter writer) {
        super(endpoint);
        this.state = state;
        this.deadLetters = deadLetters;
        this.writer = writer;
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
        if (run.paging().windows() != null) {
            // the windows whose pages all came before this one: their rows are written and the position moves on
            writer.windowRead(run, run.paging().windows().endedBeforeLastPage());
        }
        DedupDecision.Keyed keyed = DedupDecision.byKey(page, settings.keyField(), run.pendingKeys());
        Map<String, Map<?, ?>> byKey = keyed.byKey();
        List<Object> keyless = keyed.keyless();
        int skipped = page.size() - byKey.size() - keyless.size();
        // the one state query of the page, asked while the page before it was worked on when the page was read
        // ahead, comes before any change to the run, so a retried step counts nothing twice
        KeysLookedUpAhead.Answer ahead = run.lookedUpAhead(page);
        Map<String, SyncedKey> synced = ahead != null ? ahead.synced()
                : state.syncedKeys(settings.sync()).findSynced(byKey.keySet());
        if (ahead != null && !ahead.markedSince().isEmpty()) {
            // delivered on an earlier page of this run and marked after that query was asked
            for (java.util.Iterator<String> it = byKey.keySet().iterator(); it.hasNext();) {
                if (ahead.markedSince().contains(it.next())) {
                    it.remove();
                    skipped++;
                }
            }
        }
        // from the next page on, each page read ahead is looked up on the thread that read it
        run.lookUpKeysAhead(keys -> state.syncedKeys(settings.sync()).findSynced(keys));
        run.addRead(page.size());
        run.addTried(keyless.size());
        for (Object item : keyless) {
            deadLetters.reject(run, null, item, DedupDecision.keylessReason(item, settings.keyField()));
        }
        run.knownOnPage().clear();
        List<Map<?, ?>> deliver = new ArrayList<>(byKey.size());
        for (Map.Entry<String, Map<?, ?>> e : byKey.entrySet()) {
            SyncedKey known = synced.get(e.getKey());
            if (DedupDecision.decide(known, e.getValue(), settings.updateChanged()) != DedupDecision.Verdict.DELIVER) {
                skipped++;
                continue;
            }
            if (known != null) {
                run.knownOnPage().put(e.getKey(), known);
            }
            deliver.add(e.getValue());
            run.pendingKeys().add(e.getKey());
        }
        run.addSkipped(skipped);
        exchange.getIn().setBody(deliver);
        if (run.progressDue(PROGRESS_EVERY)) {
            try {
                state.runs().progress(run.runId(), run.pages(), run.read(), run.skipped(), run.written(), run.failed());
            } catch (RuntimeException e) {
                // only a view of the run: failing the step now would retry it, and its page's keys are pending already
                LOG.warn("{}: run {} progress could not be written: {}", settings.sync(), run.runId(), e.getMessage());
            }
            LOG.info("{}: run {} in progress: {}", settings.sync(), run.runId(), run.progress(run.elapsed()));
        }
        // a page whose records all lack the key (a wrong key= on ferry:start) stops the run here
        run.checkErrorLimit();
    }

}
