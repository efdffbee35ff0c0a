package io.ferry.kernel;

/** The state database could not be read or written; the run that hit it fails without marking anything. */
public class StateException extends RuntimeException {
    public StateException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
