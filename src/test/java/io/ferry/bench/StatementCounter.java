package io.ferry.bench;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the SQL statements a JVM sends to MariaDB, by what they are for. Fed by {@link CountingQueryInterceptor};
 * a batch sent as one multi-row statement (rewriteBatchedStatements) counts once, as it is one round trip.
 */
public final class StatementCounter {

    /** What a statement is for; the state kinds are the ones that cost Ferry per page or per batch. */
    public enum Kind {
        /** SELECT of synced keys: the dedup check */
        DEDUP_QUERY(true),
        /** INSERT/UPDATE of synced keys: marks after the target confirmed */
        MARK(true),
        /** run table: open, progress, close */
        RUN(true),
        /** any other Ferry state table (offsets, dead letters, API calls, Flyway history) */
        OTHER_STATE(true),
        /** the target table of the benchmark */
        TARGET_WRITE(false),
        /** everything else: session set-up, driver and pool housekeeping, DDL */
        OTHER(false);

        private final boolean state;

        Kind(boolean state) {
            this.state = state;
        }

        public boolean isState() {
            return state;
        }
    }

    private static final Map<Kind, LongAdder> COUNTS = new EnumMap<>(Kind.class);

    static {
        for (Kind k : Kind.values()) {
            COUNTS.put(k, new LongAdder());
        }
    }

    private StatementCounter() {
    }

    /** Classifies a statement by its first words and the table it names. */
    public static Kind classify(String sql) {
        if (sql == null) {
            return Kind.OTHER;
        }
        // only the head matters: a rewritten batch can be megabytes long
        String head = sql.length() > 200 ? sql.substring(0, 200) : sql;
        head = head.strip().toLowerCase(Locale.ROOT);
        if (head.contains("ferry_synced_key")) {
            return head.startsWith("select") ? Kind.DEDUP_QUERY : Kind.MARK;
        }
        if (head.contains("ferry_run")) {
            return Kind.RUN;
        }
        if (head.contains("bi_shop")) {
            return head.startsWith("insert") || head.startsWith("update") || head.startsWith("replace")
                    ? Kind.TARGET_WRITE : Kind.OTHER;
        }
        if (head.contains("ferry_")) {
            return Kind.OTHER_STATE;
        }
        return Kind.OTHER;
    }

    public static void count(String sql) {
        COUNTS.get(classify(sql)).increment();
    }

    public static long get(Kind kind) {
        return COUNTS.get(kind).sum();
    }

    /** Statements to Ferry's state tables. */
    public static long stateTotal() {
        long n = 0;
        for (Kind k : Kind.values()) {
            if (k.isState()) {
                n += get(k);
            }
        }
        return n;
    }

    public static void reset() {
        COUNTS.values().forEach(LongAdder::reset);
    }

    /** e.g. {@code {DEDUP_QUERY=10, MARK=50, …}} */
    public static Map<String, Long> snapshot() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            out.put(k.name(), get(k));
        }
        return out;
    }
}
