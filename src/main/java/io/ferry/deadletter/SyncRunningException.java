package io.ferry.deadletter;

/** A replay refused because its sync is running: nothing of it was tried, and it can be asked again when the run has ended. */
public class SyncRunningException extends IllegalStateException {

    public SyncRunningException(String message) {
        super(message);
    }
}
