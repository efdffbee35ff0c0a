package io.ferry.state;

import java.time.Instant;

/**
 * The sync's row in {@code ferry_sync}, locked with SELECT … FOR UPDATE: a run's start holds it while it inserts its
 * run row, an edit of the sync's state while it checks that no run is going on and makes its change. Whichever comes
 * second waits for the first to commit, in this process or another, so no edit lands between a run's start and its
 * end.
 */
final class SyncLock {

    private SyncLock() {
    }

    /** Runs {@code work} in one transaction that holds the sync's lock from its first statement. */
    static <T> T whileLocked(Sql sql, String sync, Sql.Work<T> work) {
        if (sql.queryOne("SELECT sync_name FROM ferry_sync WHERE sync_name = ?", rs -> rs.getString(1), sync) == null) {
            // the sync's first run or edit makes the row, in a statement of its own: inserted inside the transaction,
            // after a FOR UPDATE that found nothing, two first runs would lock each other's gap (a deadlock on InnoDB)
            sql.update("INSERT IGNORE INTO ferry_sync (sync_name, created_at) VALUES (?, ?)", sync, Instant.now());
        }
        return sql.inTransaction(tx -> {
            tx.queryOne("SELECT sync_name FROM ferry_sync WHERE sync_name = ? FOR UPDATE", rs -> rs.getString(1), sync);
            return work.run(tx);
        });
    }
}
