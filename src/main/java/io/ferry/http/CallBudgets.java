package io.ferry.http;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The call budgets of one Ferry process, one per vendor app key: every sync, endpoint and component that calls a
 * vendor with the same key paces itself against the same budget, because the vendor counts the key's calls, not a
 * sync's. When two configure the same key differently, the lower of each limit holds for both.
 */
public final class CallBudgets {

    private final Map<String, CallBudget> budgets = new ConcurrentHashMap<>();

    /**
     * The budget of {@code key} (e.g. {@code jushuitan app 1234}), made with {@code limits} on first use and
     * tightened to them after.
     */
    public CallBudget budget(String key, CallBudget.Limits limits) {
        CallBudget budget = budgets.computeIfAbsent(key, k -> new CallBudget(k, limits));
        budget.tighten(limits);
        return budget;
    }

    /** Every budget made so far, for status and metrics. */
    public List<CallBudget> all() {
        return List.copyOf(budgets.values());
    }
}
