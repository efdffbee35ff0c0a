package io.ferry.state;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * {@code ferry_reconcile_queue}: the records a reconcile's repair re-queued for the sync's next run (queued by
 * {@link SyncStateEdits#requeue}, under the sync's lock). The run reads them at its start, delivers them first and deletes
 * each one only once its key is marked (or its row dead-lettered), so a crash in between leaves it queued.
 */
public class ReconcileQueueRepository {

    /** Why a record was re-queued. */
    public static final String MISSING = "missing";
    public static final String DIFFERENT = "different";

    /**
     * One re-queued record: the source record as the reconcile read it (JSON), the reconcile run that queued it, the key's
     * synced mark now ({@code targetRef} null without one), and whether a run after that reconcile marked the key: then the
     * record was delivered again already, by a run that stopped before it took the record off the queue.
     */
    public record Queued(String key, String payload, String reason, long reconcileRunId, String targetRef,
            boolean deliveredSince) {
    }

    private static final int IN_CHUNK = 500;

    private final Sql sql;

    public ReconcileQueueRepository(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /** The sync's queued records, in key order. */
    public List<Queued> queued(String sync) {
        return sql.query("SELECT q.record_key, q.payload, q.reason, q.reconcile_run_id, k.target_ref, "
                + "CASE WHEN k.run_id > q.reconcile_run_id THEN 1 ELSE 0 END FROM ferry_reconcile_queue q LEFT JOIN ferry_synced_key k "
                + "ON k.sync_name = q.sync_name AND k.record_key = q.record_key WHERE q.sync_name = ? ORDER BY q.record_key",
                rs -> new Queued(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getInt(6) == 1),
                sync);
    }

    public long count(String sync) {
        return sql.queryOne("SELECT COUNT(*) FROM ferry_reconcile_queue WHERE sync_name = ?", rs -> rs.getLong(1), sync);
    }

    /** Takes these keys off the queue (their records were delivered or dead-lettered). */
    public void remove(String sync, List<String> keys) {
        for (int from = 0; from < keys.size(); from += IN_CHUNK) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + IN_CHUNK));
            List<Object> params = new ArrayList<>(chunk.size() + 1);
            params.add(sync);
            params.addAll(chunk);
            sql.update("DELETE FROM ferry_reconcile_queue WHERE sync_name = ? AND record_key IN (" + "?,".repeat(chunk.size() - 1)
                    + "?)", params.toArray());
        }
    }
}
