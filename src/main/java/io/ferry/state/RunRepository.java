package io.ferry.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code ferry_run} table: one row per run of a sync, opened at its start and closed at its end. */
public class RunRepository {

    /** A run of the sync's route. */
    public static final String SYNC = "sync";
    /** A replay of open dead letters: shown beside the sync's last run, never in its place. */
    public static final String REPLAY = "replay";
    /** A comparison of the source with the target (ferry reconcile); its findings are in ferry_reconcile_finding. */
    public static final String RECONCILE = "reconcile";

    /** A finished or running run as stored; {@code kind} is {@value #SYNC} or {@value #REPLAY}. */
    public record RunRecord(long id, String syncName, String status, Instant startedAt, Instant endedAt, int pages,
            int read, int skipped, int written, int failed, String error, String kind) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(RunRepository.class);

    private final Sql sql;
    private final RunHeartbeat heartbeat;

    /** For reading runs (ferry status): the heartbeat's defaults. */
    public RunRepository(DataSource dataSource) {
        this(new Sql(dataSource), null);
    }

    RunRepository(Sql sql, RunHeartbeat heartbeat) {
        this.sql = sql;
        this.heartbeat = heartbeat != null ? heartbeat
                : new RunHeartbeat(sql, FerryState.HEARTBEAT_INTERVAL, FerryState.HEARTBEAT_TIMEOUT);
    }

    public long open(String syncName, String node) {
        return open(syncName, node, SYNC);
    }

    /**
     * Inserts the run's row as 'running', holding the sync's lock: an edit of the sync's state (SyncStateEdits) either
     * went through before, and the run reads what it left, or comes after and is refused while the run is going on.
     * Under the same lock, whatever any cluster service says: a sync run is refused while another sync run of the sync
     * is 'running' with a heartbeat younger than the timeout, in any process ({@link RunGoingOnException}); a run
     * whose heartbeat is older belongs to a process that died, and is closed as 'abandoned' first.
     */
    public long open(String syncName, String node, String kind) {
        long id = SyncLock.whileLocked(sql, syncName, tx -> {
            for (Running r : tx.query("SELECT id, kind, node, started_at, COALESCE(heartbeat_at, started_at), CURRENT_TIMESTAMP(3) "
                    + "FROM ferry_run WHERE sync_name = ? AND status = 'running' ORDER BY id", RunRepository::running, syncName)) {
                if (r.heartbeatAge().compareTo(heartbeat.timeout()) > 0) {
                    tx.update(ABANDON + "WHERE id = ? AND status = 'running'", Instant.now(),
                            "its process stopped before the run ended (no heartbeat for " + r.heartbeatAge().toSeconds() + " s)", r.run().id());
                    LOG.warn("{}: run {} of node {} had no heartbeat for {} s (more than {}): its process is gone; closed as abandoned",
                            syncName, r.run().id(), r.run().node(), r.heartbeatAge().toSeconds(), heartbeat.timeout());
                } else if (SYNC.equals(kind) && SYNC.equals(r.run().kind())) {
                    throw new RunGoingOnException(syncName, r.run(), r.heartbeatAge());
                }
            }
            return tx.insert("INSERT INTO ferry_run (sync_name, node, started_at, status, kind, heartbeat_at) "
                    + "VALUES (?, ?, ?, 'running', ?, CURRENT_TIMESTAMP(3))", syncName, node, Instant.now(), kind);
        });
        heartbeat.started(id);
        return id;
    }

    /** A 'running' run and how long ago its process last said it is alive, by the database's clock. */
    private record Running(SyncStateEdits.RunningRun run, Duration heartbeatAge) {
    }

    private static Running running(ResultSet rs) throws SQLException {
        return new Running(new SyncStateEdits.RunningRun(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getTimestamp(4).toInstant()), Duration.ofMillis(rs.getTimestamp(6).getTime() - rs.getTimestamp(5).getTime()));
    }

    public void close(long runId, String status, int pages, int read, int skipped, int written, int failed, String error) {
        heartbeat.ended(runId);
        sql.update("UPDATE ferry_run SET ended_at = ?, status = ?, pages = ?, read_count = ?, skipped_count = ?, "
                + "written_count = ?, failed_count = ?, error_message = ? WHERE id = ?",
                Instant.now(), status, pages, read, skipped, written, failed,
                truncate(error, 2000), runId);
    }

    /** Writes the heartbeat of this process's open runs. */
    public RunHeartbeat heartbeat() {
        return heartbeat;
    }

    /** Counts of a run still in progress, so that a crash leaves its progress visible. */
    public void progress(long runId, int pages, int read, int skipped, int written, int failed) {
        sql.update("UPDATE ferry_run SET pages = ?, read_count = ?, skipped_count = ?, written_count = ?, failed_count = ? WHERE id = ?",
                pages, read, skipped, written, failed, runId);
    }

    /**
     * Runs left 'running' by a process that died are closed as 'abandoned' when Ferry starts again. Their counts
     * are recomputed from the state, as the progress written now and then lags behind: written is the keys marked
     * by the run, failed the dead letters it wrote (or was the last to meet), read at least their sum with skipped.
     */
    public int abandonRunning(String node) {
        return sql.update(ABANDON + "WHERE status = 'running' AND node IN (?, ?)",
                Instant.now(), "the process stopped before the run ended", node, node + " (replay)");
    }

    /** Closes runs as 'abandoned' (ended_at and the message bound), their counts recomputed as abandonRunning says. */
    private static final String ABANDON = "UPDATE ferry_run SET status = 'abandoned', ended_at = ?, error_message = ?, "
            + "read_count = GREATEST(read_count, skipped_count + " + RunRepository.MARKED + " + " + RunRepository.DEAD_LETTERED + "), "
            + "written_count = " + RunRepository.MARKED + ", failed_count = " + RunRepository.DEAD_LETTERED + " ";

    private static final String MARKED = "(SELECT COUNT(*) FROM ferry_synced_key k WHERE k.sync_name = ferry_run.sync_name "
            + "AND k.run_id = ferry_run.id)";
    private static final String DEAD_LETTERED = "(SELECT COUNT(*) FROM ferry_dead_letter d WHERE d.sync_name = ferry_run.sync_name "
            + "AND d.run_id = ferry_run.id)";

    /** The sync's last run of this kind (running or not), or null. */
    public RunRecord last(String syncName, String kind) {
        return sql.queryOne("SELECT * FROM ferry_run WHERE sync_name = ? AND kind = ? ORDER BY id DESC LIMIT 1",
                RunRepository::map, syncName, kind);
    }

    /** The sync's last run of this kind that has ended, or null. */
    public RunRecord lastEnded(String syncName, String kind, int lookBack) {
        return sql.query("SELECT * FROM ferry_run WHERE sync_name = ? AND kind = ? ORDER BY id DESC LIMIT ?",
                RunRepository::map, syncName, kind, lookBack).stream().filter(r -> !"running".equals(r.status()))
                .findFirst().orElse(null);
    }

    /** The node (ferry.node) that ran it, or null. */
    public String node(long runId) {
        return sql.queryOne("SELECT node FROM ferry_run WHERE id = ?", rs -> rs.getString(1), runId);
    }

    /** The sync's runs of every kind that were going on at some time from {@code since} on, the oldest first (at most {@code limit}). */
    public List<RunRecord> since(String syncName, Instant since, int limit) {
        return sql.query("SELECT * FROM (SELECT * FROM ferry_run WHERE sync_name = ? AND (ended_at IS NULL OR ended_at >= ?) "
                + "ORDER BY id DESC LIMIT ?) r ORDER BY id", RunRepository::map, syncName, since, limit);
    }

    public RunRecord find(long runId) {
        return sql.queryOne("SELECT * FROM ferry_run WHERE id = ?", RunRepository::map, runId);
    }

    public List<RunRecord> recent(String syncName, int limit) {
        if (syncName == null) {
            return sql.query("SELECT * FROM ferry_run ORDER BY id DESC LIMIT ?", RunRepository::map, limit);
        }
        return sql.query("SELECT * FROM ferry_run WHERE sync_name = ? ORDER BY id DESC LIMIT ?", RunRepository::map,
                syncName, limit);
    }

    /** Which runs a page lists; a null field matches every run. */
    public record RunFilter(String sync, String status, String kind) {
    }

    /** Up to {@code limit} runs matching {@code filter} with an id below {@code beforeId} (all when null), newest first. */
    public List<RunRecord> page(RunFilter filter, Long beforeId, int limit) {
        List<Object> params = new java.util.ArrayList<>();
        String where = where(filter, params);
        params.add(beforeId == null ? Long.MAX_VALUE : beforeId);
        params.add(limit);
        return sql.query("SELECT * FROM ferry_run" + where + " AND id < ? ORDER BY id DESC LIMIT ?", RunRepository::map,
                params.toArray());
    }

    public long count(RunFilter filter) {
        List<Object> params = new java.util.ArrayList<>();
        return sql.queryOne("SELECT COUNT(*) FROM ferry_run" + where(filter, params), rs -> rs.getLong(1), params.toArray());
    }

    /** Every sync that has a run row, in name order. */
    public List<String> syncNames() {
        return sql.query("SELECT DISTINCT sync_name FROM ferry_run ORDER BY sync_name", rs -> rs.getString(1));
    }

    private static String where(RunFilter f, List<Object> params) {
        StringBuilder w = new StringBuilder(" WHERE 1 = 1");
        if (f.sync() != null) {
            w.append(" AND sync_name = ?");
            params.add(f.sync());
        }
        if (f.status() != null) {
            w.append(" AND status = ?");
            params.add(f.status());
        }
        if (f.kind() != null) {
            w.append(" AND kind = ?");
            params.add(f.kind());
        }
        return w.toString();
    }

    /** When the sync's last sync run (not a replay) with this status ended, or null. */
    public Instant lastEnded(String syncName, String status) {
        List<Timestamp> t = sql.query("SELECT MAX(ended_at) FROM ferry_run WHERE sync_name = ? AND status = ? AND kind = ?",
                rs -> rs.getTimestamp(1), syncName, status, SYNC);
        return t.isEmpty() || t.get(0) == null ? null : t.get(0).toInstant();
    }

    static RunRecord map(ResultSet rs) throws SQLException {
        Timestamp ended = rs.getTimestamp("ended_at");
        return new RunRecord(rs.getLong("id"), rs.getString("sync_name"), rs.getString("status"),
                rs.getTimestamp("started_at").toInstant(), ended == null ? null : ended.toInstant(), rs.getInt("pages"),
                rs.getInt("read_count"), rs.getInt("skipped_count"), rs.getInt("written_count"),
                rs.getInt("failed_count"), rs.getString("error_message"), rs.getString("kind"));
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
