package io.ferry.state;

import java.time.Instant;

import javax.sql.DataSource;

/** Incremental cursors per sync ({@code ferry_offset}). */
public class OffsetRepository {

    private final Sql sql;

    public OffsetRepository(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    public String find(String syncName) {
        return sql.queryOne("SELECT offset_value FROM ferry_offset WHERE sync_name = ?", rs -> rs.getString(1), syncName);
    }

    /** A sync read by time window: where its next run starts (its saved offset is an instant); null for any other. */
    public Instant windowPosition(String syncName) {
        String saved = find(syncName);
        if (saved == null) {
            return null;
        }
        try {
            return Instant.parse(saved);
        } catch (java.time.format.DateTimeParseException e) {
            return null; // an offset of another kind: a record's offset field
        }
    }

    public void save(String syncName, String offset, Long runId) {
        sql.update("INSERT INTO ferry_offset (sync_name, offset_value, run_id, updated_at) VALUES (?, ?, ?, ?) "
                + "ON DUPLICATE KEY UPDATE offset_value = VALUES(offset_value), run_id = VALUES(run_id), updated_at = VALUES(updated_at)",
                syncName, offset, runId, Instant.now());
    }
}
