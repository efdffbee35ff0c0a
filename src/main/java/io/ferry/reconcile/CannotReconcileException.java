package io.ferry.reconcile;

/** A reconcile that cannot be made as asked: no readable target, a bad window, a sync that is not there. */
public class CannotReconcileException extends RuntimeException {

    public CannotReconcileException(String message) {
        super(message);
    }

    public CannotReconcileException(String message, Throwable cause) {
        super(message, cause);
    }
}
