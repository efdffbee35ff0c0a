package io.ferry.http;

import io.ferry.http.CallBudget.Limits;

/**
 * Where the calls of a budget are counted when several Ferry processes use one vendor app key: the vendor counts the
 * key's calls, not a process's, so each call is admitted only when the calls of every process sharing the ledger
 * leave room for it in each window, counted as {@link CallBudget} counts them (from when a call is made until a window
 * after its answer).
 */
public interface CallLedger {

    /**
     * Waits until one more call of {@code budget} fits {@code limits} across every process, and counts it as in
     * flight from now.
     */
    Entry admit(String budget, Limits limits) throws InterruptedException;

    /** One call in the ledger. */
    interface Entry {

        /**
         * The call ended now: {@code counted} (answered, or failed after it may have reached the vendor) it stays in
         * the windows until a window from now; not counted (the vendor refused it) it leaves them.
         */
        void ended(boolean counted);
    }
}
