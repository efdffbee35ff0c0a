package io.ferry.state;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;

import io.ferry.kernel.StateException;

/**
 * What a state database holds, found without changing it (a reader that must not migrate it: preview): the Ferry
 * tables it has and the schema version Flyway recorded, beside the latest this Ferry's migrations reach.
 *
 * @param tables  the names (lower case) of its {@code ferry_} tables
 * @param current the schema version applied last, or null when none is (no Ferry tables, or made without Flyway)
 * @param latest  the version of this Ferry's last migration
 * @param pending how many of this Ferry's migrations the database lacks
 */
public record StateSchema(Set<String> tables, String current, String latest, int pending) {

    /** Reads the tables and Flyway's schema history; writes nothing (Flyway's info creates no table). */
    public static StateSchema inspect(DataSource dataSource) {
        Set<String> tables = new TreeSet<>();
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            try (ResultSet rs = meta.getTables(c.getCatalog(), null, "%", new String[] { "TABLE" })) {
                while (rs.next()) {
                    String name = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                    if (name.startsWith("ferry_") && !name.equals("ferry_bi_schema_history")) {
                        tables.add(name);
                    }
                }
            }
        } catch (SQLException e) {
            throw new StateException("the state database's tables could not be listed", e);
        }
        MigrationInfoService info = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                .table("ferry_schema_history").load().info();
        MigrationInfo current = info.current();
        MigrationInfo[] all = info.all();
        String latest = all.length == 0 ? null : all[all.length - 1].getVersion().getVersion();
        return new StateSchema(tables, current == null ? null : current.getVersion().getVersion(), latest, info.pending().length);
    }

    /** No Ferry table at all: nothing was ever synced with this database. */
    public boolean empty() {
        return tables.isEmpty();
    }

    public boolean has(String table) {
        return tables.contains(table);
    }
}
