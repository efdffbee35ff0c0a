package io.ferry.http;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The call budgets of one Ferry process, one per vendor app key: every sync, endpoint and component that calls a
 * vendor with the same key paces itself against the same budget, because the vendor counts the key's calls, not a
 * sync's. When two configure the same key differently, the lower of each limit holds for both.
 */
public final class CallBudgets {

    private final Map<String, CallBudget> budgets = new ConcurrentHashMap<>();
    private volatile Consumer<CallBudget> onNew = b -> {
    };
    private volatile CallLedger ledger;

    /**
     * The budget of {@code key} (e.g. {@code jushuitan app 1234}), made with {@code limits} on first use and
     * tightened to them after.
     */
    public CallBudget budget(String key, CallBudget.Limits limits) {
        CallBudget budget = budgets.get(key);
        if (budget == null) {
            CallBudget made = new CallBudget(key, limits);
            CallLedger shared = ledger;
            if (shared != null) {
                made.share(shared);
            }
            budget = budgets.putIfAbsent(key, made);
            if (budget == null && ledger != null) {
                made.share(ledger); // share() may have run between the two reads
            }
            if (budget == null) {
                onNew.accept(made);
                return made;
            }
        }
        budget.tighten(limits);
        return budget;
    }

    /**
     * Counts every budget's calls, made so far and made after, in {@code ledger} too, shared with the other processes
     * that use the same app keys (several replicas on one state database).
     */
    public synchronized void share(CallLedger ledger) {
        this.ledger = ledger;
        budgets.values().forEach(b -> b.share(ledger));
    }

    /** Tells {@code listener} of every budget made so far and of each made after (metrics). */
    public synchronized void onNew(Consumer<CallBudget> listener) {
        onNew = listener;
        budgets.values().forEach(listener);
    }

    /** Every budget made so far, for status and metrics. */
    public List<CallBudget> all() {
        return List.copyOf(budgets.values());
    }
}
