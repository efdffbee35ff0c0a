package io.ferry.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.ferry.http.ApiCall;
import io.ferry.state.Sql;
import io.ferry.kernel.StateException;

/** The {@code ferry_api_call} table: batched inserts, search, and pruning by age. */
public class ApiCallRepository {

    /** A stored call. */
    public record StoredCall(long id, ApiCall call) {
    }

    /** What to search for; null fields match everything. {@code text} is looked for in both bodies (e.g. a record key). */
    public record Search(String sync, String text, Instant from, Instant to, int limit) {
    }

    private static final int PRUNE_CHUNK = 5000;

    private final DataSource dataSource;
    private final Sql sql;

    public ApiCallRepository(DataSource dataSource) {
        this.dataSource = dataSource;
        this.sql = new Sql(dataSource);
    }

    /** Inserts calls in one batched statement; the calls are already masked and truncated. */
    public void insert(List<ApiCall> calls) {
        if (calls.isEmpty()) {
            return;
        }
        String insert = "INSERT INTO ferry_api_call (sync_name, run_id, system_name, direction, endpoint, http_status, "
                + "vendor_code, latency_ms, request_body, response_body, error_message, called_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(insert)) {
            for (ApiCall a : calls) {
                ps.setString(1, a.sync());
                if (a.runId() == null) {
                    ps.setNull(2, Types.BIGINT);
                } else {
                    ps.setLong(2, a.runId());
                }
                ps.setString(3, cut(a.system(), 50));
                ps.setString(4, cut(a.direction() == null ? "pull" : a.direction(), 8));
                ps.setString(5, cut(a.endpoint() == null ? "" : a.endpoint(), 255));
                ps.setInt(6, a.httpStatus());
                ps.setString(7, cut(a.vendorCode(), 64));
                ps.setLong(8, a.latencyMillis());
                ps.setString(9, a.requestBody());
                ps.setString(10, a.responseBody());
                ps.setString(11, cut(a.error(), 2000));
                ps.setString(12, Sql.instant(a.at() == null ? Instant.now() : a.at()));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StateException("cannot store " + calls.size() + " API calls", e);
        }
    }

    /** Newest first. */
    public List<StoredCall> search(Search s) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (s.sync() != null && !s.sync().isBlank()) {
            where.append(" AND sync_name = ?");
            params.add(s.sync());
        }
        if (s.from() != null) {
            where.append(" AND called_at >= ?");
            params.add(s.from());
        }
        if (s.to() != null) {
            where.append(" AND called_at < ?");
            params.add(s.to());
        }
        if (s.text() != null && !s.text().isBlank()) {
            where.append(" AND (request_body LIKE ? OR response_body LIKE ? OR error_message LIKE ?)");
            String like = Sql.like(s.text());
            params.add(like);
            params.add(like);
            params.add(like);
        }
        params.add(Math.max(1, Math.min(s.limit(), 1000)));
        return sql.query("SELECT * FROM ferry_api_call" + where + " ORDER BY id DESC LIMIT ?", ApiCallRepository::map,
                params.toArray());
    }

    /** Which calls a page lists; a null field matches every call. {@code text} is looked for in both bodies and the error. */
    public record CallFilter(String sync, Long runId, String text) {
    }

    /** Up to {@code limit} calls matching {@code filter} with an id below {@code beforeId} (all when null), newest first. */
    public List<StoredCall> page(CallFilter f, Long beforeId, int limit) {
        StringBuilder where = new StringBuilder(" WHERE id < ?");
        List<Object> params = new ArrayList<>();
        params.add(beforeId == null ? Long.MAX_VALUE : beforeId);
        if (f.sync() != null) {
            where.append(" AND sync_name = ?");
            params.add(f.sync());
        }
        if (f.runId() != null) {
            where.append(" AND run_id = ?");
            params.add(f.runId());
        }
        if (f.text() != null) {
            where.append(" AND (request_body LIKE ? OR response_body LIKE ? OR error_message LIKE ?)");
            String like = Sql.like(f.text());
            params.add(like);
            params.add(like);
            params.add(like);
        }
        params.add(limit);
        return sql.query("SELECT * FROM ferry_api_call" + where + " ORDER BY id DESC LIMIT ?", ApiCallRepository::map,
                params.toArray());
    }

    /**
     * When each of the sync's calls that failed (no answer, HTTP 4xx/5xx, or an error Ferry recorded) was made, from
     * {@code since} on: at most {@code limit}, the newest first.
     */
    public List<Instant> failedSince(String sync, Instant since, int limit) {
        return sql.query("SELECT called_at FROM ferry_api_call WHERE sync_name = ? AND called_at >= ? AND (http_status = 0 "
                + "OR http_status >= 400 OR error_message IS NOT NULL) ORDER BY called_at DESC LIMIT ?",
                rs -> rs.getTimestamp(1).toInstant(), sync, since, limit);
    }

    public long count() {
        return sql.queryOne("SELECT COUNT(*) FROM ferry_api_call", rs -> rs.getLong(1));
    }

    /** Deletes calls older than {@code before}, in chunks so that no statement holds a long lock. */
    public int prune(Instant before) {
        int total = 0;
        while (true) {
            int n = sql.update("DELETE FROM ferry_api_call WHERE called_at < ? LIMIT " + PRUNE_CHUNK, before);
            total += n;
            if (n < PRUNE_CHUNK) {
                return total;
            }
        }
    }

    static StoredCall map(ResultSet rs) throws SQLException {
        long run = rs.getLong("run_id");
        Long runId = rs.wasNull() ? null : run;
        return new StoredCall(rs.getLong("id"), new ApiCall(rs.getString("sync_name"), runId, rs.getString("system_name"),
                rs.getString("direction"), rs.getString("endpoint"), rs.getInt("http_status"), rs.getString("vendor_code"),
                rs.getLong("latency_ms"), rs.getString("request_body"), rs.getString("response_body"),
                rs.getString("error_message"), rs.getTimestamp("called_at").toInstant()));
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
