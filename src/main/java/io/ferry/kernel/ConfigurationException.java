package io.ferry.kernel;

/**
 * What Ferry was configured with does not work: a setting a sync needs is not set, a vendor refused the
 * credentials it was given, a route file is wrong, a database cannot be reached. The message is one line that says
 * what to check; the command line prints it without a stack trace and exits with 2. Asking again will not help and no record is at fault, so this is neither retried
 * (it is not a {@link TransientException}) nor dead-lettered: the run fails with this message, which names the
 * properties to check and their environment variables.
 */
public class ConfigurationException extends RuntimeException {
    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
