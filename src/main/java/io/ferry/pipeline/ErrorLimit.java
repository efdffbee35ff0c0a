package io.ferry.pipeline;

/**
 * How many rejected records a run may have and still be a success (as DataX's errorLimit): more than
 * {@code records} rejected ({@value #NONE}: no count limit), or more than {@code percent} % of the records it
 * tried once it has tried {@code minRecords}, and the run stops as failed. The share waits for a minimum so that
 * one bad record among the first few does not fail a run, yet a run that rejects everything stops after
 * {@code minRecords} records instead of dead-lettering all of them.
 *
 * @param records    the most rejected records a run may have; {@value #NONE} for no count limit
 * @param percent    the largest share of the records tried that may be rejected, 0–100 (100: no share limit)
 * @param minRecords records tried before the share is looked at
 */
public record ErrorLimit(int records, int percent, int minRecords) {

    public static final int NONE = -1;
    /** What {@code ferry.error-limit.*} and the ferry:start parameters default to. */
    public static final ErrorLimit DEFAULT = new ErrorLimit(NONE, 50, 20);

    public ErrorLimit {
        if (records < NONE) {
            throw new IllegalArgumentException("errorLimit must be " + NONE + " (none) or a count of records, got " + records);
        }
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("errorLimitPercent must be between 0 and 100, got " + percent);
        }
        if (minRecords < 1) {
            throw new IllegalArgumentException("errorLimitMinRecords must be at least 1, got " + minRecords);
        }
    }

    /** Which limit these counts pass, said for the run's message, or null while they pass none. */
    String passedBy(int tried, int rejected) {
        if (records != NONE && rejected > records) {
            return rejected + (rejected == 1 ? " record was" : " records were") + " rejected, more than errorLimit=" + records;
        }
        if (percent < 100 && tried >= minRecords && rejected * 100L > (long) percent * tried) {
            return rejected + " of the " + tried + " records tried were rejected, more than errorLimitPercent=" + percent
                    + "% (the share counts from errorLimitMinRecords=" + minRecords + " records tried)";
        }
        return null;
    }

    @Override
    public String toString() {
        return "errorLimit=" + (records == NONE ? "none" : records) + ", errorLimitPercent=" + percent
                + ", errorLimitMinRecords=" + minRecords;
    }
}
