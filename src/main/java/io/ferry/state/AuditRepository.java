package io.ferry.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

/**
 * The {@code ferry_audit} table: who did what through the API (or was refused it), newest first. {@code result} is
 * {@value #OK} or {@value #REFUSED}; {@code detail} says what came of it or why it was refused.
 */
public class AuditRepository {

    public static final String OK = "ok";
    public static final String REFUSED = "refused";

    /** One row; {@code actorKind} is "user" or "token". */
    public record AuditEntry(long id, Instant at, String actor, String actorKind, String role, String action, String target,
            String client, String result, String detail) {
    }

    private final Sql sql;

    public AuditRepository(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    public long add(String actor, String actorKind, String role, String action, String target, String client, String result,
            String detail) {
        return sql.insert("INSERT INTO ferry_audit (at, actor, actor_kind, role, action, target, client, result, detail) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", Instant.now(), cut(actor, 100), cut(actorKind, 8), cut(role, 16),
                cut(action, 64), cut(target, 500), cut(client, 100), cut(result, 16), cut(detail, 2000));
    }

    /** Up to {@code limit} rows with an id below {@code beforeId} (all when null), newest first. */
    public List<AuditEntry> page(Long beforeId, int limit) {
        return sql.query("SELECT * FROM ferry_audit WHERE id < ? ORDER BY id DESC LIMIT ?", AuditRepository::map,
                beforeId == null ? Long.MAX_VALUE : beforeId, limit);
    }

    public long count() {
        return sql.queryOne("SELECT COUNT(*) FROM ferry_audit", rs -> rs.getLong(1));
    }

    private static AuditEntry map(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong("id"), rs.getTimestamp("at").toInstant(), rs.getString("actor"),
                rs.getString("actor_kind"), rs.getString("role"), rs.getString("action"), rs.getString("target"),
                rs.getString("client"), rs.getString("result"), rs.getString("detail"));
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
