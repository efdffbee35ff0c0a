package io.ferry.kernel;

/**
 * A failure that may pass if the same call is made again: a timeout, a reset connection, HTTP 5xx,
 * a vendor's rate-limit or session-lost answer. The route configuration {@code ferry-sync} retries it
 * with exponential backoff.
 */
public class TransientException extends RuntimeException {
    public TransientException(String message) {
        super(message);
    }

    public TransientException(String message, Throwable cause) {
        super(message, cause);
    }
}
