package io.ferry.pipeline;

/**
 * A run rejected more records than its {@link ErrorLimit} allows: it stops as failed with this message, and an
 * incremental sync keeps its offset before the first record it rejected, so that the next run reads them again.
 */
public class ErrorLimitExceededException extends RuntimeException {
    public ErrorLimitExceededException(String message) {
        super(message);
    }
}
