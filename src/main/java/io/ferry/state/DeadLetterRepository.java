package io.ferry.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

import io.ferry.kernel.Records;
import io.ferry.state.Sql;

/**
 * The {@code ferry_dead_letter} table: records (or pages) that could not be delivered, with the reason,
 * kept until they are replayed or discarded.
 */
public class DeadLetterRepository {

    /** Where in the pipeline the record failed. */
    public enum Stage {
        /** the source answered a page that could not be read */
        PAGE,
        /** a record without its key, or one whose mapping failed */
        RECORD,
        /** the target rejected the row, or kept failing */
        SINK
    }

    public record DeadLetter(long id, String syncName, Long runId, String key, Stage stage, String payload,
            String errorClass, String errorMessage, int attempts, Instant firstFailedAt, Instant lastFailedAt,
            String status, String resolution) {
    }

    private final Sql sql;

    public DeadLetterRepository(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /**
     * Stores a dead letter. What is already open in this sync — the same key, or for a record without a key the
     * same payload — gets that row updated (attempts + 1, new error and payload) rather than a second row, so a
     * bad record met by every run is kept once.
     */
    public long add(String syncName, Long runId, String key, Stage stage, String payload, String errorClass,
            String errorMessage, int attempts) {
        Instant now = Instant.now();
        String message = truncate(errorMessage, 4000);
        String hash = payload == null ? null : io.ferry.kernel.Records.fingerprint(payload);
        Long existing = key != null
                ? sql.queryOne("SELECT id FROM ferry_dead_letter WHERE sync_name = ? AND record_key = ? AND status = 'open'",
                        rs -> rs.getLong(1), syncName, key)
                : sql.queryOne("SELECT id FROM ferry_dead_letter WHERE sync_name = ? AND record_key IS NULL AND payload_hash = ? "
                        + "AND stage = ? AND status = 'open'", rs -> rs.getLong(1), syncName, hash, stage.name());
        if (existing != null) {
            sql.update("UPDATE ferry_dead_letter SET run_id = ?, stage = ?, payload = ?, payload_hash = ?, error_class = ?, "
                    + "error_message = ?, attempts = attempts + ?, last_failed_at = ? WHERE id = ?",
                    runId, stage.name(), payload, hash, errorClass, message, attempts, now, existing);
            return existing;
        }
        return sql.insert("INSERT INTO ferry_dead_letter (sync_name, run_id, record_key, stage, payload, payload_hash, error_class, "
                + "error_message, attempts, first_failed_at, last_failed_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')",
                syncName, runId, key, stage.name(), payload, hash, errorClass, message, attempts, now, now);
    }

    public List<DeadLetter> open(String syncName) {
        if (syncName == null) {
            return sql.query("SELECT * FROM ferry_dead_letter WHERE status = 'open' ORDER BY id", DeadLetterRepository::map);
        }
        return sql.query("SELECT * FROM ferry_dead_letter WHERE status = 'open' AND sync_name = ? ORDER BY id",
                DeadLetterRepository::map, syncName);
    }

    /**
     * Which dead letters a page lists; a null field matches every one. {@code errorText} is looked for in the error's
     * class and message; {@code status} is open, replayed, discarded or resolved.
     */
    public record DeadLetterFilter(String sync, String key, Stage stage, String errorText, String status, Long runId) {

        public DeadLetterFilter(String sync, String key, Stage stage, String errorText, String status) {
            this(sync, key, stage, errorText, status, null);
        }
    }

    /** Up to {@code limit} dead letters matching {@code filter} with an id below {@code beforeId} (all when null), newest first. */
    public List<DeadLetter> page(DeadLetterFilter filter, Long beforeId, int limit) {
        List<Object> params = new java.util.ArrayList<>();
        String where = where(filter, params);
        params.add(beforeId == null ? Long.MAX_VALUE : beforeId);
        params.add(limit);
        return sql.query("SELECT * FROM ferry_dead_letter" + where + " AND id < ? ORDER BY id DESC LIMIT ?",
                DeadLetterRepository::map, params.toArray());
    }

    public long count(DeadLetterFilter filter) {
        List<Object> params = new java.util.ArrayList<>();
        return sql.queryOne("SELECT COUNT(*) FROM ferry_dead_letter" + where(filter, params), rs -> rs.getLong(1),
                params.toArray());
    }

    /** When each of the sync's dead letters first failed, from {@code since} on (at most {@code limit}, the newest first). */
    public List<Instant> failedSince(String syncName, Instant since, int limit) {
        return sql.query("SELECT first_failed_at FROM ferry_dead_letter WHERE sync_name = ? AND first_failed_at >= ? "
                + "ORDER BY first_failed_at DESC LIMIT ?", rs -> rs.getTimestamp(1).toInstant(), syncName, since, limit);
    }

    /** Every dead letter of the sync's key, newest first (a key's story). */
    public List<DeadLetter> ofKey(String syncName, String key, int limit) {
        return sql.query("SELECT * FROM ferry_dead_letter WHERE sync_name = ? AND record_key = ? ORDER BY id DESC LIMIT ?",
                DeadLetterRepository::map, syncName, key, limit);
    }

    private static String where(DeadLetterFilter f, List<Object> params) {
        StringBuilder w = new StringBuilder(" WHERE 1 = 1");
        if (f.sync() != null) {
            w.append(" AND sync_name = ?");
            params.add(f.sync());
        }
        if (f.key() != null) {
            w.append(" AND record_key = ?");
            params.add(f.key());
        }
        if (f.stage() != null) {
            w.append(" AND stage = ?");
            params.add(f.stage().name());
        }
        if (f.status() != null) {
            w.append(" AND status = ?");
            params.add(f.status());
        }
        if (f.runId() != null) {
            w.append(" AND run_id = ?");
            params.add(f.runId());
        }
        if (f.errorText() != null) {
            w.append(" AND (error_message LIKE ? OR error_class LIKE ?)");
            String like = Sql.like(f.errorText());
            params.add(like);
            params.add(like);
        }
        return w.toString();
    }

    public DeadLetter find(long id) {
        return sql.queryOne("SELECT * FROM ferry_dead_letter WHERE id = ?", DeadLetterRepository::map, id);
    }

    public int countOpen(String syncName) {
        return sql.queryOne("SELECT COUNT(*) FROM ferry_dead_letter WHERE status = 'open' AND sync_name = ?",
                rs -> rs.getInt(1), syncName);
    }

    /** A replay that failed again: one more attempt, the new reason. */
    public void retried(long id, String errorMessage) {
        sql.update("UPDATE ferry_dead_letter SET attempts = attempts + 1, error_message = ?, last_failed_at = ? WHERE id = ?",
                truncate(errorMessage, 4000), Instant.now(), id);
    }

    /** Closes an open dead letter as 'replayed' or 'discarded' with a note. */
    public boolean resolve(long id, String status, String resolution) {
        return sql.update("UPDATE ferry_dead_letter SET status = ?, resolution = ? WHERE id = ? AND status = 'open'",
                status, truncate(resolution, 1000), id) > 0;
    }

    /** Closes the open dead letters of keys that were delivered after all (e.g. by a later run): one statement. */
    public int resolveDelivered(String syncName, List<String> keys, String resolution) {
        if (keys.isEmpty()) {
            return 0;
        }
        Object[] params = new Object[keys.size() + 2];
        params[0] = resolution;
        params[1] = syncName;
        for (int i = 0; i < keys.size(); i++) {
            params[i + 2] = keys.get(i);
        }
        return sql.update("UPDATE ferry_dead_letter SET status = 'replayed', resolution = ? WHERE sync_name = ? "
                + "AND status = 'open' AND record_key IN (" + "?,".repeat(keys.size() - 1) + "?)", params);
    }

    /**
     * Closes the sync's open PAGE dead letters of runs before {@code runId} as 'resolved': that run read the
     * source to its end, so every page those runs could not read has since been read and delivered.
     */
    public int resolvePages(String syncName, long runId, String resolution) {
        return sql.update("UPDATE ferry_dead_letter SET status = 'resolved', resolution = ? WHERE sync_name = ? "
                + "AND status = 'open' AND stage = ? AND (run_id IS NULL OR run_id < ?)",
                truncate(resolution, 1000), syncName, Stage.PAGE.name(), runId);
    }

    static DeadLetter map(ResultSet rs) throws SQLException {
        long runId = rs.getLong("run_id");
        Long run = rs.wasNull() ? null : runId;
        return new DeadLetter(rs.getLong("id"), rs.getString("sync_name"), run, rs.getString("record_key"),
                Stage.valueOf(rs.getString("stage")), rs.getString("payload"), rs.getString("error_class"),
                rs.getString("error_message"), rs.getInt("attempts"), rs.getTimestamp("first_failed_at").toInstant(),
                rs.getTimestamp("last_failed_at").toInstant(), rs.getString("status"), rs.getString("resolution"));
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
