package io.ferry.pipeline;

import java.util.ArrayList;
import java.util.List;

/** The rows waiting to be written to one sink in one run. */
public class Batch {

    /** One mapped row with what Ferry must remember about it once the target confirmed it. */
    public record Row(String key, String contentHash, Object body, String offset) {
    }

    private final String sinkUri;
    private final int size;
    private final int concurrency;
    private final List<Row> rows = new ArrayList<>();
    private final java.util.Deque<java.util.concurrent.Future<BatchWriter.Outcome>> inFlight = new java.util.ArrayDeque<>();

    Batch(String sinkUri, int size, int concurrency) {
        this.sinkUri = sinkUri;
        this.size = size;
        this.concurrency = concurrency;
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
