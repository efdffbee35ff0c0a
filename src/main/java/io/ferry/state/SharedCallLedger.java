package io.ferry.state;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.http.CallBudget.Limits;
import io.ferry.http.CallLedger;

/**
 * The call ledger of every Ferry process on one state database ({@code ferry.budgets.shared}): the calls of each
 * vendor budget in the last minute, one row each in {@code ferry_budget_call}. A call is admitted in a transaction
 * that holds the budget's row in {@code ferry_call_budget} (SELECT … FOR UPDATE), so two processes never both take
 * the last room in a window; it counts as CallBudget counts, from when it is made until a window after it ended.
 * <p>
 * Why not a distributed rate limiter (Bucket4j over JDBC or Redis): those are token buckets, which let a bucket's
 * capacity and its refill through in one window, more than a vendor's sliding window allows; and a bucket knows
 * nothing of calls in flight, which a limit of calls at once needs. One locked row per budget and a few rows per call
 * cost a round trip to the state database per vendor call, small beside the call.
 * <p>
 * Times are each process's clock in ms: the replicas' clocks must agree (NTP) to well under a second. A call in
 * flight longer than {@code inFlightTimeout} belongs to a process that died (the connectors' timeouts end any call
 * sooner) and is no longer counted.
 */
public final class SharedCallLedger implements CallLedger {

    private static final Logger LOG = LoggerFactory.getLogger(SharedCallLedger.class);
    private static final long SECOND = 1000;
    private static final long MINUTE = 60_000;
    /** how often a budget's old rows are deleted, in admissions of this process */
    private static final int CLEAN_EVERY = 50;
    /** the longest wait between two looks at the ledger while calls in flight fill a window */
    private static final long MAX_POLL = 200;

    private final Sql sql;
    private final String node;
    private final long inFlightTimeout;
    private final LongSupplier clock;
    private final java.util.Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger admitted = new java.util.concurrent.atomic.AtomicInteger();

    public SharedCallLedger(DataSource dataSource, String node, long inFlightTimeoutMs) {
        this(dataSource, node, inFlightTimeoutMs, System::currentTimeMillis);
    }

    SharedCallLedger(DataSource dataSource, String node, long inFlightTimeoutMs, LongSupplier clock) {
        this.sql = new Sql(dataSource);
        this.node = node;
        this.inFlightTimeout = inFlightTimeoutMs;
        this.clock = clock;
    }

    @Override
    public Entry admit(String budget, Limits limits) throws InterruptedException {
        if (!known.contains(budget)) {
            if (sql.queryOne("SELECT budget FROM ferry_call_budget WHERE budget = ?", rs -> rs.getString(1), budget) == null) {
                // in a statement of its own, as SyncLock makes a sync's row: two first callers would lock each other's gap
                sql.update("INSERT IGNORE INTO ferry_call_budget (budget, created_at) VALUES (?, CURRENT_TIMESTAMP(3))", budget);
            }
            known.add(budget); // rows of budgets are never deleted: asked once per process, not once per call
        }
        long polls = 0;
        while (true) {
            long[] answer = sql.inTransaction(tx -> {
                tx.queryOne("SELECT budget FROM ferry_call_budget WHERE budget = ? FOR UPDATE", rs -> rs.getString(1), budget);
                long now = clock.getAsLong();
                List<Long> ended = new ArrayList<>();
                int[] inFlight = {0};
                tx.query("SELECT started_ms, ended_ms FROM ferry_budget_call WHERE budget = ? AND (ended_ms IS NULL OR ended_ms > ?) "
                        + "ORDER BY ended_ms", rs -> {
                            long ended_ms = rs.getLong(2);
                            if (rs.wasNull()) {
                                if (rs.getLong(1) > now - inFlightTimeout) {
                                    inFlight[0]++;
                                }
                            } else {
                                ended.add(ended_ms);
                            }
                            return null;
                        }, budget, now - MINUTE);
                long wait = wait(limits, now, inFlight[0], ended);
                if (wait != 0) {
                    return new long[] {0, wait};
                }
                if (admitted.incrementAndGet() % CLEAN_EVERY == 0) {
                    tx.update("DELETE FROM ferry_budget_call WHERE budget = ? AND (ended_ms < ? OR (ended_ms IS NULL AND started_ms < ?))",
                            budget, now - 2 * MINUTE, now - 2 * inFlightTimeout);
                }
                return new long[] {tx.insert("INSERT INTO ferry_budget_call (budget, node, started_ms) VALUES (?, ?, ?)",
                        budget, node, now), 0};
            });
            if (answer[1] == 0) {
                return new Row(answer[0]);
            }
            // a window slides at a known time; a call in flight ends when it ends: look again soon, a little later each time
            long ms = answer[1] > 0 ? answer[1] : Math.min(MAX_POLL, 10 + 10 * polls++);
            Thread.sleep(ms + ThreadLocalRandom.current().nextLong(5));
        }
    }

    /**
     * 0 when one more call fits every limit at {@code now}; else ms until a window slides enough, or -1 until a call in
     * flight ends. {@code ended}: the end times of the calls that ended within the last minute, oldest first.
     */
    static long wait(Limits limits, long now, int inFlight, List<Long> ended) {
        if (limits.concurrent() > 0 && inFlight >= limits.concurrent()) {
            return -1;
        }
        long wait = 0;
        for (long[] window : new long[][] {{SECOND, limits.perSecond()}, {MINUTE, limits.perMinute()}}) {
            long length = window[0];
            int limit = (int) window[1];
            if (limit <= 0) {
                continue;
            }
            int first = 0;
            while (first < ended.size() && ended.get(first) <= now - length) {
                first++;
            }
            int inWindow = ended.size() - first;
            int counted = inWindow + inFlight;
            if (counted < limit) {
                continue;
            }
            int toExpire = counted - limit + 1;
            if (toExpire > inWindow) {
                return -1;
            }
            wait = Math.max(wait, ended.get(first + toExpire - 1) + length - now + 1);
        }
        return wait;
    }

    /** A call's row: its end is written when it ends; a refused call's row is deleted (the vendor did not count it). */
    private final class Row implements Entry {
        private final long id;

        Row(long id) {
            this.id = id;
        }

        @Override
        public void ended(boolean counted) {
            try {
                if (counted) {
                    sql.update("UPDATE ferry_budget_call SET ended_ms = ? WHERE id = ?", clock.getAsLong(), id);
                } else {
                    sql.update("DELETE FROM ferry_budget_call WHERE id = ?", id);
                }
            } catch (RuntimeException e) {
                // the row then counts as in flight until the in-flight timeout: slower for a while, never over the limit
                LOG.warn("a vendor call's end could not be written to the shared call ledger: {}", e.getMessage());
            }
        }
    }
}
