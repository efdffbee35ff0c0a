package io.ferry;

/**
 * Ferry cannot start as it is configured: a property, a route file, a database it cannot reach. The message is
 * one line that says what to check; the command line prints it without a stack trace and exits with 2.
 */
public class ConfigurationException extends RuntimeException {

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }

    public ConfigurationException(String message) {
        super(message);
    }
}
