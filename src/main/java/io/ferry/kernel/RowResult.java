package io.ferry.kernel;

/**
 * What a sink reports for one row of a batch, by position in the batch. A sink route that knows per-row
 * outcomes (Kingdee's BatchSave) sets a {@code List<RowResult>} in the {@value #HEADER} header; a sink
 * that answers for the whole batch (a JDBC batch) sets nothing and a completed exchange means every row
 * was confirmed. {@code attempts} is how many times the sink sent the row before this outcome (a sink that pushes a
 * refused row again says so), what a dead letter's attempts count.
 */
public record RowResult(int index, boolean delivered, String targetRef, String message, int attempts) {

    public static final String HEADER = "FerryRowResults";

    public RowResult(int index, boolean delivered, String targetRef, String message) {
        this(index, delivered, targetRef, message, 1);
    }

    public static RowResult delivered(int index, String targetRef) {
        return new RowResult(index, true, targetRef, null);
    }

    public static RowResult rejected(int index, String message) {
        return new RowResult(index, false, null, message, 1);
    }

    /** Refused on each of {@code attempts} sends. */
    public static RowResult rejected(int index, String message, int attempts) {
        return new RowResult(index, false, null, message, attempts);
    }
}
