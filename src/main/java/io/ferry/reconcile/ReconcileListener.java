package io.ferry.reconcile;

/** Told of every reconcile recorded in the run history (metrics, alerts). */
public interface ReconcileListener {

    /** A reconcile ended and found what it found. */
    void reconciled(Reconciliation result);

    /** A reconcile could not be made (the source or the target could not be read). */
    void failed(String sync, long runId, String message);
}
