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

    /**
     * Saves where run {@code runId} stopped its scan, unless the sync's state was edited after that run: the page is
     * saved once the run's row is closed, and an edit made in between (a reset) wins over it.
     *
     * @return false when an edit since the run kept the page from being saved
     */
    public boolean save(String syncName, int page, long runId) {
        return SyncLock.whileLocked(sql, syncName, tx -> {
            if (SyncStateEdits.editedAfter(tx, syncName, runId)) {
                return false;
            }
            tx.update("INSERT INTO ferry_scan_position (sync_name, page, run_id, updated_at) VALUES (?, ?, ?, ?) "
                    + "ON DUPLICATE KEY UPDATE page = VALUES(page), run_id = VALUES(run_id), updated_at = VALUES(updated_at)",
                    syncName, page, runId, Instant.now());
            return true;
        });
    }

    public void clear(String syncName) {
        sql.update("DELETE FROM ferry_scan_position WHERE sync_name = ?", syncName);
    }
}
