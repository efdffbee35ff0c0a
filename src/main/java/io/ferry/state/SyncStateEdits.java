package io.ferry.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/**
 * Edits of a sync's state by an operator: its position set, its synced keys (all, or some) forgotten. Each edit is one
 * transaction that holds the sync's lock ({@link SyncLock}, also held by a run's start): it is refused while a run of
 * the sync is going on, no run starts in the middle of it, and it is recorded in {@code ferry_state_edit} with who
 * made it and the state before and after. A dry run takes the same lock and checks, and writes nothing.
 */
public class SyncStateEdits {

    /** An edit as recorded; {@code lastRunId} the sync's last run when it was made (null before any run). */
    public record Edit(long id, String sync, Instant at, String actor, String action, String before, String after,
            Long lastRunId) {
    }

    /** A run of the sync going on, or left 'running' by a process that died. */
    public record RunningRun(long id, String kind, String node, Instant startedAt) {
    }

    /**
     * What an edit changed (or, dry, would change). {@code refusedBy}: the run going on that kept it from being made;
     * {@code recorded}: the audit row of an edit that was made.
     */
    public record Outcome(String before, String after, RunningRun refusedBy, Edit recorded) {
        public boolean refused() {
            return refusedBy != null;
        }
    }

    private static final int IN_CHUNK = 500;
    private static final int TEXT = 4000;

    private final Sql sql;

    public SyncStateEdits(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /** Sets an incremental sync's saved position (its offset, or a windowed sync's instant) to {@code value}. */
    public Outcome setPosition(String sync, String value, String action, String actor, boolean dryRun) {
        return edit(sync, action, actor, dryRun, tx -> {
            String before = tx.queryOne("SELECT offset_value FROM ferry_offset WHERE sync_name = ?", rs -> rs.getString(1), sync);
            return new Change(before, value, () -> tx.update("INSERT INTO ferry_offset (sync_name, offset_value, run_id, updated_at) "
                    + "VALUES (?, ?, NULL, ?) ON DUPLICATE KEY UPDATE offset_value = VALUES(offset_value), run_id = VALUES(run_id), "
                    + "updated_at = VALUES(updated_at)", sync, value, Instant.now()));
        });
    }

    /** Forgets every synced key, the position and the scan page: the next run reads and writes everything again. */
    public Outcome reset(String sync, String actor, boolean dryRun) {
        return edit(sync, "reset", actor, dryRun, tx -> {
            String offset = tx.queryOne("SELECT offset_value FROM ferry_offset WHERE sync_name = ?", rs -> rs.getString(1), sync);
            Integer page = tx.queryOne("SELECT page FROM ferry_scan_position WHERE sync_name = ?", rs -> rs.getInt(1), sync);
            long[] keys = tx.queryOne("SELECT COUNT(*), COUNT(content_hash) FROM ferry_synced_key WHERE sync_name = ?",
                    rs -> new long[] { rs.getLong(1), rs.getLong(2) }, sync);
            String before = "position " + (offset == null ? "none" : offset) + "; " + keys[0] + " synced keys (" + keys[1]
                    + " with a content hash); scan page " + (page == null ? "none" : page);
            return new Change(before, "position none; 0 synced keys; scan page none", () -> {
                tx.update("DELETE FROM ferry_synced_key WHERE sync_name = ?", sync);
                tx.update("DELETE FROM ferry_offset WHERE sync_name = ?", sync);
                tx.update("DELETE FROM ferry_scan_position WHERE sync_name = ?", sync);
            });
        });
    }

    /**
     * Forgets these synced keys only: their records are written again when the sync next reads them.
     *
     * @throws IllegalArgumentException when one of them is not a synced key of the sync (nothing is changed)
     */
    public Outcome forgetKeys(String sync, List<String> keys, String actor, boolean dryRun) {
        List<String> distinct = List.copyOf(new java.util.LinkedHashSet<>(keys));
        return edit(sync, "reset-keys", actor, dryRun, tx -> {
            Map<String, String> synced = new LinkedHashMap<>();
            for (List<String> chunk : chunks(distinct)) {
                tx.query("SELECT record_key, content_hash, target_ref FROM ferry_synced_key WHERE sync_name = ? AND record_key IN ("
                        + "?,".repeat(chunk.size() - 1) + "?)", rs -> synced.put(rs.getString(1), describeKey(rs)), params(sync, chunk));
            }
            List<String> unknown = distinct.stream().filter(k -> !synced.containsKey(k)).toList();
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException(String.join(", ", unknown) + (unknown.size() == 1 ? " is not a synced key" : " are not synced keys")
                        + " of " + sync);
            }
            StringBuilder before = new StringBuilder();
            distinct.forEach(k -> before.append(before.isEmpty() ? "" : "; ").append(synced.get(k)));
            return new Change(before.toString(), "forgotten: " + String.join(", ", distinct), () -> {
                for (List<String> chunk : chunks(distinct)) {
                    tx.update("DELETE FROM ferry_synced_key WHERE sync_name = ? AND record_key IN (" + "?,".repeat(chunk.size() - 1) + "?)",
                            params(sync, chunk));
                }
            });
        });
    }

    /** A record a reconcile's repair re-queues: its key, the source record as read (JSON), and why. */
    public record Requeue(String key, String payload, String reason) {
    }

    /**
     * A reconcile's repair: queues these records for the sync's next run ({@code ferry_reconcile_queue}), which delivers them
     * first. A "missing" record's synced mark loses its target reference (the target row it named is gone, so the write must
     * create one); a "different" one keeps it, so that the write updates the row it names. Refused while a run of the sync
     * (other than reconciles) goes on, and when one started after the reconcile {@code reconcileRunId} began: that run may
     * have changed the target since the reconcile read it. Recorded as the edit 'reconcile-repair'.
     */
    public Outcome requeue(String sync, long reconcileRunId, List<Requeue> records, String actor) {
        return edit(sync, "reconcile-repair", actor, false, tx -> {
            long queued = tx.queryOne("SELECT COUNT(*) FROM ferry_reconcile_queue WHERE sync_name = ?", rs -> rs.getLong(1), sync);
            StringBuilder after = new StringBuilder("queued by reconcile run " + reconcileRunId + ": ");
            for (int i = 0; i < records.size(); i++) {
                after.append(i == 0 ? "" : ", ").append(records.get(i).key()).append(" (").append(records.get(i).reason()).append(')');
            }
            return new Change(queued + " record(s) queued for the next run", after.toString(), () -> {
                Instant now = Instant.now();
                for (Requeue r : records) {
                    tx.update("INSERT INTO ferry_reconcile_queue (sync_name, record_key, payload, reason, queued_at, reconcile_run_id) "
                            + "VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE payload = VALUES(payload), reason = VALUES(reason), "
                            + "queued_at = VALUES(queued_at), reconcile_run_id = VALUES(reconcile_run_id)", sync, r.key(), r.payload(),
                            r.reason(), now, reconcileRunId);
                    if (ReconcileQueueRepository.MISSING.equals(r.reason())) {
                        tx.update("UPDATE ferry_synced_key SET target_ref = NULL WHERE sync_name = ? AND record_key = ?", sync, r.key());
                    }
                }
            });
        }, tx -> {
            RunningRun running = tx.queryOne("SELECT id, kind, node, started_at FROM ferry_run WHERE sync_name = ? AND kind <> ? AND "
                    + "(status = 'running' OR id > ?) ORDER BY id DESC LIMIT 1", rs -> new RunningRun(rs.getLong(1), rs.getString(2),
                            rs.getString(3), rs.getTimestamp(4).toInstant()), sync, RunRepository.RECONCILE, reconcileRunId);
            return running;
        });
    }

    /** The sync's run going on (or left 'running'), the latest if there are several, or null. */
    public RunningRun running(String sync) {
        return running(sql, sync);
    }

    /** The sync's last edits, newest first. */
    public List<Edit> recent(String sync, int limit) {
        return sql.query("SELECT * FROM ferry_state_edit WHERE sync_name = ? ORDER BY id DESC LIMIT ?", SyncStateEdits::map, sync, limit);
    }

    /** Whether the sync's state was edited after run {@code runId} had started (and so, edits being refused meanwhile, ended). */
    static boolean editedAfter(Sql tx, String sync, long runId) {
        return tx.queryOne("SELECT COUNT(*) FROM ferry_state_edit WHERE sync_name = ? AND last_run_id >= ?", rs -> rs.getLong(1),
                sync, runId) > 0;
    }

    /** The state an edit finds, what it leaves, and the statements that make the change. */
    private record Change(String before, String after, Runnable apply) {
    }

    @FunctionalInterface
    private interface Planner {
        Change plan(Sql tx);
    }

    private Outcome edit(String sync, String action, String actor, boolean dryRun, Planner planner) {
        return edit(sync, action, actor, dryRun, planner, tx -> running(tx, sync));
    }

    /** @param refusal the run that keeps the edit from being made, or null */
    private Outcome edit(String sync, String action, String actor, boolean dryRun, Planner planner,
            java.util.function.Function<Sql, RunningRun> refusal) {
        return SyncLock.whileLocked(sql, sync, tx -> {
            Change change = planner.plan(tx);
            RunningRun running = refusal.apply(tx);
            if (running != null) {
                return new Outcome(change.before(), change.after(), running, null);
            }
            if (dryRun) {
                return new Outcome(change.before(), change.after(), null, null);
            }
            change.apply().run();
            Long lastRun = tx.queryOne("SELECT MAX(id) FROM ferry_run WHERE sync_name = ?", rs -> {
                long id = rs.getLong(1);
                return rs.wasNull() ? null : id;
            }, sync);
            String who = cut(actor, 100);
            String before = cut(change.before(), TEXT);
            String after = cut(change.after(), TEXT);
            Instant now = Instant.now();
            long id = tx.insert("INSERT INTO ferry_state_edit (sync_name, edited_at, actor, action, before_state, after_state, "
                    + "last_run_id) VALUES (?, ?, ?, ?, ?, ?, ?)", sync, now, who, action, before, after, lastRun);
            return new Outcome(change.before(), change.after(), null, new Edit(id, sync, now, who, action, before, after, lastRun));
        });
    }

    private static RunningRun running(Sql sql, String sync) {
        return sql.queryOne("SELECT id, kind, node, started_at FROM ferry_run WHERE sync_name = ? AND status = 'running' "
                + "ORDER BY id DESC LIMIT 1", rs -> new RunningRun(rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant()), sync);
    }

    private static String describeKey(ResultSet rs) throws SQLException {
        String key = rs.getString(1);
        String hash = rs.getString(2);
        String ref = rs.getString(3);
        if (hash == null && ref == null) {
            return key;
        }
        return key + " (" + (hash == null ? "" : "content hash " + hash) + (hash != null && ref != null ? ", " : "")
                + (ref == null ? "" : "target ref " + ref) + ")";
    }

    private static List<List<String>> chunks(List<String> keys) {
        List<List<String>> out = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += IN_CHUNK) {
            out.add(keys.subList(from, Math.min(keys.size(), from + IN_CHUNK)));
        }
        return out;
    }

    private static Object[] params(String sync, List<String> keys) {
        Object[] p = new Object[keys.size() + 1];
        p[0] = sync;
        for (int i = 0; i < keys.size(); i++) {
            p[i + 1] = keys.get(i);
        }
        return p;
    }

    private static Edit map(ResultSet rs) throws SQLException {
        long lastRun = rs.getLong("last_run_id");
        Long last = rs.wasNull() ? null : lastRun;
        return new Edit(rs.getLong("id"), rs.getString("sync_name"), rs.getTimestamp("edited_at").toInstant(), rs.getString("actor"),
                rs.getString("action"), rs.getString("before_state"), rs.getString("after_state"), last);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
