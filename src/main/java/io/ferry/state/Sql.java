package io.ferry.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

import io.ferry.kernel.StateException;

/**
 * Small JDBC helper: every value is a bound parameter, never spliced into SQL text. An {@link Instant} is bound as
 * {@link #instant(Instant) text with its milliseconds}. Each statement takes a connection of the pool and commits on
 * its own, except inside {@link #inTransaction}.
 */
public final class Sql {

    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Statements run inside a transaction: they see what it wrote, and commit with it. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Sql transaction);
    }

    private final DataSource dataSource;
    /** the connection of the transaction this Sql runs in, or null: every statement on a connection of its own */
    private final Connection transaction;

    public Sql(DataSource dataSource) {
        this.dataSource = dataSource;
        this.transaction = null;
    }

    private Sql(Connection transaction) {
        this.dataSource = null;
        this.transaction = transaction;
    }

    /** A LIKE pattern that finds {@code text} anywhere, its wildcards and backslashes taken literally. */
    public static String like(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /** The pool; null for the Sql of a transaction. */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Runs {@code work} in one transaction on one connection: committed when it returns, rolled back when it throws.
     * The statements of {@code work} go through the Sql it is given.
     */
    public <T> T inTransaction(Work<T> work) {
        if (transaction != null) {
            return work.run(this);
        }
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(new Sql(c));
                c.commit();
                return result;
            } catch (RuntimeException | Error | SQLException e) {
                // before autocommit is restored: turning it on would commit what the transaction left
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(autoCommit);
                } catch (SQLException broken) {
                    // a connection that cannot be reset is broken: the pool drops it
                }
            }
        } catch (SQLException e) {
            throw new StateException("state transaction failed", e);
        }
    }

    public int update(String sql, Object... params) {
        Connection c = connection("state update", sql);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateException("state update failed [" + firstWords(sql) + "]", e);
        } finally {
            release(c);
        }
    }

    public long insert(String sql, Object... params) {
        Connection c = connection("state insert", sql);
        try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            bind(ps, params);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StateException("state insert failed [" + firstWords(sql) + "]", e);
        } finally {
            release(c);
        }
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        Connection c = connection("state query", sql);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StateException("state query failed [" + firstWords(sql) + "]", e);
        } finally {
            release(c);
        }
    }

    private Connection connection(String what, String sql) {
        if (transaction != null) {
            return transaction;
        }
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new StateException(what + " failed [" + firstWords(sql) + "]", e);
        }
    }

    private void release(Connection c) {
        if (c != transaction) {
            try {
                c.close();
            } catch (SQLException e) {
                // the pool replaces a connection it cannot take back
            }
        }
    }

    public <T> T queryOne(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(sql, mapper, params);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /**
     * An instant as the value to bind for a TIMESTAMP(3) column: its wall-clock time in this JVM's zone, to the
     * millisecond. Connector/J drops the fraction of every bound Timestamp, Instant or LocalDateTime when the server
     * announces a version below 5.6.4, and MariaDB 10.x announces "5.5.5-10.x": a 0.2 s run was stored as 0 s or 1 s.
     * The text is what the driver itself sends (it formats times in the JVM's zone, connectionTimeZone=LOCAL), with
     * the milliseconds kept; H2 reads it the same way.
     */
    public static String instant(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneId.systemDefault()).format(MILLIS);
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant t) {
                ps.setString(i + 1, instant(t));
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    private static String firstWords(String sql) {
        return sql.length() > 60 ? sql.substring(0, 60) + "…" : sql;
    }
}
