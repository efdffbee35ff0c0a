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
    private final List<Row> rows = new ArrayList<>();

    Batch(String sinkUri, int size) {
        this.sinkUri = sinkUri;
        this.size = size;
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
