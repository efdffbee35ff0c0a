package io.ferry.pipeline;

/**
 * What Ferry was configured with does not work: a setting a sync needs is not set, or a vendor refused the
 * credentials it was given. Asking again will not help and no record is at fault, so this is neither retried
 * (it is not a {@link TransientException}) nor dead-lettered: the run fails with this message, which names the
 * properties to check and their environment variables.
 */
public class ConfigurationException extends RuntimeException {
    public ConfigurationException(String message) {
        super(message);
    }
}
