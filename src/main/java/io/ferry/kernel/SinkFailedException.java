package io.ferry.kernel;

/**
 * The sink kept failing for a whole batch for a reason that is not about its rows (connection lost, timeouts)
 * after the sink route's own retries. The run fails; no row of that batch is marked, so the next run writes
 * them again. Deliberately not a {@link TransientException}, and without a cause: Camel's onException matches
 * the causes of an exception first, and retrying the step that added the last row would not bring back the batch.
 */
public class SinkFailedException extends RuntimeException {
    public SinkFailedException(String message) {
        super(message);
    }
}
