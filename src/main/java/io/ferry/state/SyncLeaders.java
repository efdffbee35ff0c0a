package io.ferry.state;

import java.time.Instant;

import javax.sql.DataSource;

/**
 * Which replica says it leads a sync, in its {@code ferry_sync} row: written by the replica when the cluster service
 * makes it the leader of the sync's namespace, cleared when it loses that, so that {@code ferry status} in any process
 * can show it. A replica killed while leading leaves its name until the next leader writes its own: the cluster
 * service, not this row, decides who leads, and the run rule (RunRepository.open) does not read it.
 */
public class SyncLeaders {

    /** The replica that last said it leads, and since when (database clock). */
    public record Leader(String node, Instant since) {
    }

    private final Sql sql;

    public SyncLeaders(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    public void led(String sync, String node) {
        sql.update("INSERT IGNORE INTO ferry_sync (sync_name, created_at) VALUES (?, ?)", sync, Instant.now());
        sql.update("UPDATE ferry_sync SET leader_node = ?, leader_since = CURRENT_TIMESTAMP(3) WHERE sync_name = ?", node, sync);
    }

    /** Clears the leader only if it is still this node (another may have written itself since). */
    public void released(String sync, String node) {
        sql.update("UPDATE ferry_sync SET leader_node = NULL, leader_since = NULL WHERE sync_name = ? AND leader_node = ?", sync, node);
    }

    /** The sync's leader as last written, or null when none says it leads (or the sync is not clustered). */
    public Leader leader(String sync) {
        return sql.queryOne("SELECT leader_node, leader_since FROM ferry_sync WHERE sync_name = ? AND leader_node IS NOT NULL",
                rs -> new Leader(rs.getString(1), rs.getTimestamp(2).toInstant()), sync);
    }
}
