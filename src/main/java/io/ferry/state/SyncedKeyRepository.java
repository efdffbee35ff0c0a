package io.ferry.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

import io.ferry.kernel.StateException;

/**
 * The synced keys of one sync: Camel's {@link IdempotentRepository} over {@code ferry_synced_key}.
 * <p>
 * Ferry's pipeline does not use the single-key methods on its hot path: it checks a whole page with
 * {@link #findSynced(Collection)} (one query) and marks a confirmed batch with {@link #markSynced(List)}
 * (one batched statement). The single-key methods serve a plain {@code idempotentConsumer}.
 */
public class SyncedKeyRepository extends ServiceSupport implements IdempotentRepository {

    /** What Ferry stores about one key once the target confirmed it. */
    public record SyncedKey(String key, String contentHash, String targetRef) {
    }

    private static final int IN_CHUNK = 500;

    private final DataSource dataSource;
    private final String syncName;

    public SyncedKeyRepository(DataSource dataSource, String syncName) {
        this.dataSource = dataSource;
        this.syncName = syncName;
    }

    public String getSyncName() {
        return syncName;
    }

    /** The keys of {@code keys} that are already synced, with their hash and target reference. */
    public Map<String, SyncedKey> findSynced(Collection<String> keys) {
        Map<String, SyncedKey> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        List<String> all = new ArrayList<>(keys);
        try (Connection c = dataSource.getConnection()) {
            for (int from = 0; from < all.size(); from += IN_CHUNK) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
                String sql = "SELECT record_key, content_hash, target_ref FROM ferry_synced_key WHERE sync_name = ? AND record_key IN ("
                        + "?,".repeat(chunk.size() - 1) + "?)";
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, syncName);
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setString(i + 2, chunk.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            found.put(rs.getString(1), new SyncedKey(rs.getString(1), rs.getString(2), rs.getString(3)));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new StateException("cannot read synced keys of " + syncName, e);
        }
        return found;
    }

    /** When a key was marked synced, and by which run. */
    public record Marked(SyncedKey key, java.time.Instant syncedAt, Long runId) {
    }

    /** The key's row, or null when it is not synced. */
    public Marked lookup(String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT content_hash, target_ref, "
                + "synced_at, run_id FROM ferry_synced_key WHERE sync_name = ? AND record_key = ?")) {
            ps.setString(1, syncName);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long run = rs.getLong(4);
                Long runId = rs.wasNull() ? null : run;
                return new Marked(new SyncedKey(key, rs.getString(1), rs.getString(2)), rs.getTimestamp(3).toInstant(), runId);
            }
        } catch (SQLException e) {
            throw new StateException("cannot read the synced key of " + syncName, e);
        }
    }

    /** Marks keys whose rows the target confirmed; re-marking a key updates its hash and reference. */
    public void markSynced(List<SyncedKey> keys, Long runId) {
        if (keys.isEmpty()) {
            return;
        }
        String sql = "INSERT INTO ferry_synced_key (sync_name, record_key, content_hash, target_ref, run_id, synced_at) "
                + "VALUES (?, ?, ?, ?, ?, CURRENT_TIMESTAMP(3)) ON DUPLICATE KEY UPDATE content_hash = VALUES(content_hash), "
                + "target_ref = VALUES(target_ref), run_id = VALUES(run_id), synced_at = VALUES(synced_at)";
        // the database's clock, not a bound Timestamp: Connector/J formats each bound Timestamp with a new
        // SimpleDateFormat, a twentieth of a sync's CPU at one value per marked key
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (SyncedKey k : keys) {
                ps.setString(1, syncName);
                ps.setString(2, k.key());
                ps.setString(3, k.contentHash());
                ps.setString(4, k.targetRef());
                if (runId == null) {
                    ps.setNull(5, java.sql.Types.BIGINT);
                } else {
                    ps.setLong(5, runId);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StateException("cannot mark " + keys.size() + " keys of " + syncName + " as synced", e);
        }
    }

    public void markSynced(List<SyncedKey> keys) {
        markSynced(keys, null);
    }

    public long count() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM ferry_synced_key WHERE sync_name = ?")) {
            ps.setString(1, syncName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StateException("cannot count synced keys of " + syncName, e);
        }
    }

    /** The synced keys stored with a content hash (in content-hash mode, a changed record is sent again). */
    public long countWithContentHash() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM ferry_synced_key WHERE sync_name = ? "
                        + "AND content_hash IS NOT NULL")) {
            ps.setString(1, syncName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StateException("cannot count synced keys of " + syncName, e);
        }
    }

    // --- Camel IdempotentRepository ---

    @Override
    public boolean add(String key) {
        if (contains(key)) {
            return false;
        }
        markSynced(List.of(new SyncedKey(key, null, null)));
        return true;
    }

    @Override
    public boolean contains(String key) {
        return findSynced(List.of(key)).containsKey(key);
    }

    @Override
    public boolean remove(String key) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM ferry_synced_key WHERE sync_name = ? AND record_key = ?")) {
            ps.setString(1, syncName);
            ps.setString(2, key);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StateException("cannot remove synced key of " + syncName, e);
        }
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM ferry_synced_key WHERE sync_name = ?")) {
            ps.setString(1, syncName);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("cannot clear synced keys of " + syncName, e);
        }
    }
}
