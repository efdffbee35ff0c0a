package io.ferry.pipeline;

import java.util.ArrayList;
import java.util.List;

/** The rows waiting to be written to one sink in one run. */
public class Batch {

    /**
     * The header in which a sink finds the business keys of its batch's rows, by position: what a push sink sends as
     * its idempotency key (the same for a record in every retry and every run).
     */
    public static final String KEYS_HEADER = io.ferry.kernel.RunContext.ROW_KEYS_HEADER;

    /** One mapped row with what Ferry must remember about it once the target confirmed it. */
    public record Row(String key, String contentHash, Object body, String offset) {
    }

    private final String sinkUri;
    private final int size;
    private final int concurrency;
    private final int markEvery;
    private final List<Row> rows = new ArrayList<>();
    private final java.util.Deque<java.util.concurrent.Future<BatchWriter.Outcome>> inFlight = new java.util.ArrayDeque<>();

    Batch(String sinkUri, int size, int concurrency, int markEvery) {
        this.sinkUri = sinkUri;
        this.size = size;
        this.concurrency = concurrency;
        this.markEvery = markEvery;
    }

    /** Confirmed keys of this sink wait for their mark until this many are confirmed. */
    int markEvery() {
        return markEvery;
    }

    /** How many batches of this sink may be written at once. */
    int concurrency() {
        return concurrency;
    }

    /** Batches handed to the sink and not yet collected, oldest first. */
    java.util.Deque<java.util.concurrent.Future<BatchWriter.Outcome>> inFlight() {
        return inFlight;
    }

    public String sinkUri() {
        return sinkUri;
    }

    boolean add(Row row) {
        rows.add(row);
        return rows.size() >= size;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    List<Row> drain() {
        List<Row> out = new ArrayList<>(rows);
        rows.clear();
        return out;
    }
}
