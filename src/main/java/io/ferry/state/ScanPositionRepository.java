package io.ferry.state;

import java.time.Instant;

import javax.sql.DataSource;

/** Where the last failed run of a whole-scan sync stopped ({@code ferry_scan_position}). */
public class ScanPositionRepository {

    private final Sql sql;

    public ScanPositionRepository(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /** The page to start the next scan at, or null to start at the first. */
    public Integer find(String syncName) {
        return sql.queryOne("SELECT page FROM ferry_scan_position WHERE sync_name = ?", rs -> rs.getInt(1), syncName);
    }

    public void save(String syncName, int page, long runId) {
        sql.update("INSERT INTO ferry_scan_position (sync_name, page, run_id, updated_at) VALUES (?, ?, ?, ?) "
                + "ON DUPLICATE KEY UPDATE page = VALUES(page), run_id = VALUES(run_id), updated_at = VALUES(updated_at)",
                syncName, page, runId, Instant.now());
    }

    public void clear(String syncName) {
        sql.update("DELETE FROM ferry_scan_position WHERE sync_name = ?", syncName);
    }
}
