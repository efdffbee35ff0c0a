package io.ferry.pipeline;

/**
 * The sink kept failing for a whole batch for a reason that is not about its rows (connection lost, timeouts)
 * after the sink route's own retries. The run fails; no row of that batch is marked, so the next run writes
 * them again. Deliberately not a {@link TransientException}: retrying the step that added the last row would
 * not bring back the batch.
 */
public class SinkFailedException extends RuntimeException {
    public SinkFailedException(String message, Throwable cause) {
        super(message);
        // Kept as suppressed, not as the cause: Camel matches onException clauses against causes too, so a
        // transient cause would make routes/ferry-sync.yaml redeliver ferry:aggregate or ferry:finish, which
        // re-adds one row to an emptied batch and lets the run end "succeeded" with the batch unwritten.
        addSuppressed(cause);
    }
}
