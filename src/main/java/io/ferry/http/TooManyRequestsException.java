package io.ferry.http;

import io.ferry.kernel.TransientException;

/**
 * HTTP 429: transient like any other, with the server's {@code Retry-After} (delta-seconds or an HTTP date, as it was
 * sent; null when there was none), so that a client may wait as long as the server asks before it asks again.
 */
public class TooManyRequestsException extends TransientException {

    private final String retryAfter;

    public TooManyRequestsException(String message, String retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public String retryAfter() {
        return retryAfter;
    }
}
