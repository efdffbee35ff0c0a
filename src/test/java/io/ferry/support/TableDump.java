package io.ferry.support;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

/** Every row of every table of a database, every column as the hex of its bytes: two dumps compare byte for byte. */
public final class TableDump {

    private TableDump() {
    }

    public static Map<String, List<String>> all(DataSource dataSource) {
        Map<String, List<String>> dump = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = meta.getTables(c.getCatalog(), null, "%", new String[] { "TABLE" })) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            for (String table : tables) {
                List<String> keys = new ArrayList<>();
                try (ResultSet rs = meta.getPrimaryKeys(c.getCatalog(), null, table)) {
                    while (rs.next()) {
                        keys.add(rs.getString("COLUMN_NAME"));
                    }
                }
                List<String> rows = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData rm = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= rm.getColumnCount(); i++) {
                            byte[] bytes = rs.getBytes(i);
                            row.append(rm.getColumnName(i)).append('=')
                                    .append(bytes == null ? "NULL" : java.util.HexFormat.of().formatHex(bytes)).append('|');
                        }
                        rows.add(row.toString());
                    }
                }
                // sorted as text: one order whatever the database answers in, so two dumps compare row for row
                rows.sort(null);
                dump.put(table.toLowerCase(java.util.Locale.ROOT) + " (key " + keys + ")", rows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return dump;
    }

    /** The dump of these tables only (their names as the database gives them, in lower case). */
    public static Map<String, List<String>> of(DataSource dataSource, String... tables) {
        Map<String, List<String>> some = new TreeMap<>();
        all(dataSource).forEach((table, rows) -> {
            for (String name : tables) {
                if (table.startsWith(name + " ")) {
                    some.put(table, rows);
                }
            }
        });
        return some;
    }
}
