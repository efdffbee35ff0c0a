package io.ferry.state;

import java.util.List;

import javax.sql.DataSource;

/** {@code ferry_reconcile_finding}: per reconcile run (kind 'reconcile' in ferry_run), each kind of difference it found. */
public class ReconcileFindingRepository {

    /** A kind of difference, how many records had it and up to the reconcile's --samples of them (JSON). */
    public record Finding(long runId, String kind, int count, String samples) {
    }

    private final Sql sql;

    public ReconcileFindingRepository(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /** Saves a reconcile's findings in one transaction. */
    public void save(long runId, List<Finding> findings) {
        sql.inTransaction(tx -> {
            for (Finding f : findings) {
                tx.update("INSERT INTO ferry_reconcile_finding (run_id, kind, record_count, samples) VALUES (?, ?, ?, ?)", runId,
                        f.kind(), f.count(), f.samples());
            }
            return null;
        });
    }

    public List<Finding> of(long runId) {
        return sql.query("SELECT run_id, kind, record_count, samples FROM ferry_reconcile_finding WHERE run_id = ? ORDER BY kind",
                rs -> new Finding(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4)), runId);
    }
}
