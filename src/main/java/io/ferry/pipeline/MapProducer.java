package io.ferry.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

import io.ferry.kernel.Records;
import io.ferry.mapping.JsonataMapping;
import io.ferry.state.SyncedKeyRepository.SyncedKey;

/**
 * {@code ferry:map}: maps source records to the target's shape. A body that is one record (inside a split) becomes
 * its row, with its key, content hash and offset in headers for {@code ferry:aggregate}; a body that is a page (the
 * list {@code ferry:dedup} left) becomes the list of its rows, with the same for each row, in order, in the header
 * {@value #ROWS}. A record the mapping fails on is dead-lettered here, with the mapping's message, and left out (a
 * single record is marked {@value #REJECTED} so that {@code ferry:aggregate} passes it by); the run goes on unless it
 * has now rejected more than its error limit allows. (Throwing for every rejection would end a split: a splitter
 * that stops on exceptions also stops on handled ones.)
 * <p>
 * A page is mapped in one exchange rather than one per record: the split's copy of the exchange, its error handler
 * and the steps' instrumentation per record were a fifth of the route thread's CPU (docs/benchmarks.md). A page whose
 * mapping step is tried again (a dead letter that could not be written for a lost connection) goes on from the record
 * it stopped at, so no record is mapped, counted or dead-lettered twice.
 */
class MapProducer extends DefaultProducer {

    static final String KEY = "FerryKey";
    static final String HASH = "FerryHash";
    static final String OFFSET = "FerryOffset";
    static final String REJECTED = "FerryRejected";
    /** A mapped page's rows, in order: {@link Batch.Row}s with the key, hash and offset of each. */
    static final String ROWS = "FerryRows";
    /** A page being mapped, kept on the exchange until it is done so that a retried step goes on where it stopped. */
    private static final String IN_PROGRESS = "FerryMapping";

    private final JsonataMapping mapping;
    private final DeadLetters deadLetters;

    /** The page being mapped: the records, how far it got, the rows made so far. */
    private static final class PageInProgress {
        final List<?> page;
        final List<Batch.Row> rows;
        int next;
        boolean counted;

        PageInProgress(List<?> page) {
            this.page = page;
            this.rows = new ArrayList<>(page.size());
        }
    }

    MapProducer(FerryEndpoint endpoint, JsonataMapping mapping, DeadLetters deadLetters) {
        super(endpoint);
        this.mapping = mapping;
        this.deadLetters = deadLetters;
    }

    @Override
    public void process(Exchange exchange) {
        SyncRun run = SyncRun.of(exchange);
        Object body = exchange.getIn().getBody();
        // inside a split the body is one record, whatever its type (a record that is a JSON array is rejected)
        if (body instanceof List<?> page && exchange.getProperty(Exchange.SPLIT_INDEX) == null) {
            mapPage(exchange, run, page);
            return;
        }
        run.addTried(1);
        Mapped m = map(run, body);
        if (m.rejection() != null) {
            deadLetters.reject(run, m.key(), body, m.rejection());
            exchange.getIn().setHeader(REJECTED, true);
            // past the error limit the run stops here (the exception ends the split and the run)
            run.checkErrorLimit();
            return;
        }
        Batch.Row row = m.row();
        exchange.getIn().setHeader(KEY, row.key());
        if (row.contentHash() != null) {
            exchange.getIn().setHeader(HASH, row.contentHash());
        }
        if (row.offset() != null) {
            exchange.getIn().setHeader(OFFSET, row.offset());
        }
        exchange.getIn().setBody(row.body());
    }

    private void mapPage(Exchange exchange, SyncRun run, List<?> page) {
        PageInProgress p = exchange.getProperty(IN_PROGRESS, PageInProgress.class);
        if (p == null || p.page != page) {
            p = new PageInProgress(page);
            exchange.setProperty(IN_PROGRESS, p);
        }
        for (; p.next < page.size(); p.next++) {
            Object record = page.get(p.next);
            if (!p.counted) {
                run.addTried(1);
                p.counted = true;
            }
            Mapped m = map(run, record);
            if (m.rejection() != null) {
                deadLetters.reject(run, m.key(), record, m.rejection());
                // past the error limit the run stops here, before the rest of the page
                run.checkErrorLimit();
            } else {
                p.rows.add(m.row());
            }
            p.counted = false;
        }
        exchange.removeProperty(IN_PROGRESS);
        List<Object> bodies = new ArrayList<>(p.rows.size());
        for (Batch.Row row : p.rows) {
            bodies.add(row.body());
        }
        exchange.getIn().setHeader(ROWS, p.rows);
        exchange.getIn().setBody(bodies);
    }

    /** A record's row, or why it cannot have one. */
    record Mapped(Batch.Row row, String key, String rejection) {
    }

    private Mapped map(SyncRun run, Object body) {
        return map(mapping, run.settings(), body, run.knownOnPage()::get);
    }

    /**
     * The mapping of one record as a run makes it ({@link SourceRead} too): its row with its key, content hash and
     * offset, or why it has none.
     *
     * @param known the synced row of a key, whose target reference the mapping sees as {@code $targetRef}; null if none
     */
    @SuppressWarnings("unchecked")
    static Mapped map(JsonataMapping mapping, SyncSettings settings, Object body,
            java.util.function.Function<String, SyncedKey> known) {
        if (!(body instanceof Map<?, ?> raw)) {
            return new Mapped(null, null, "ferry:map expects one record (a JSON object), got "
                    + (body == null ? "nothing" : body.getClass().getSimpleName()));
        }
        Map<String, Object> record = (Map<String, Object>) raw;
        String key = Records.field(record, settings.keyField());
        if (key == null) {
            return new Mapped(null, null, "record has no " + settings.keyField());
        }
        SyncedKey synced = known.apply(key);
        Map<String, Object> mapped;
        try {
            mapped = mapping.apply(record, key, synced == null ? null : synced.targetRef(), settings.sync());
        } catch (JsonataMapping.MappingException e) {
            return new Mapped(null, key, e.getMessage() + " (" + settings.keyField() + "=" + key + ")");
        }
        // only a sync that sends changed records again compares hashes; hashing every record as sorted JSON
        // was 6% of a sync's CPU. A sync switched to updateChanged later sends its unhashed keys once more.
        String hash = settings.updateChanged() ? Records.contentHash(record) : null;
        String offset = settings.offsetField() != null ? Records.field(record, settings.offsetField()) : null;
        return new Mapped(new Batch.Row(key, hash, mapped, offset), key, null);
    }
}
