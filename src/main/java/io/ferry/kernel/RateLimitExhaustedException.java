package io.ferry.kernel;

/**
 * The vendor kept answering "rate limited" for longer than the configured bound. The run stops as
 * {@code partial}: what it delivered stays delivered and the next run carries on.
 */
public class RateLimitExhaustedException extends RuntimeException {
    public RateLimitExhaustedException(String message) {
        super(message);
    }
}
