package io.ferry.observe;

import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.ferry.state.Sql;

/**
 * Open dead letters per sync, read with one grouped query and kept for a few seconds: metrics scrapes, JMX and
 * health checks ask often, and the count only moves when a run adds or a replay resolves dead letters.
 */
public class OpenDeadLetters {

    private static final long TTL_NANOS = 5_000_000_000L;

    private final Sql sql;
    private Map<String, Integer> counts = Map.of();
    private long readAt;

    public OpenDeadLetters(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    public synchronized int open(String sync) {
        if (readAt == 0 || System.nanoTime() - readAt > TTL_NANOS) {
            refresh();
        }
        return counts.getOrDefault(sync, 0);
    }

    /** Reads the counts now (after a run ended, so that what follows sees its dead letters). */
    public synchronized Map<String, Integer> refresh() {
        Map<String, Integer> m = new HashMap<>();
        sql.query("SELECT sync_name, COUNT(*) FROM ferry_dead_letter WHERE status = 'open' GROUP BY sync_name",
                rs -> m.put(rs.getString(1), rs.getInt(2)));
        counts = m;
        readAt = System.nanoTime();
        return Map.copyOf(m);
    }
}
