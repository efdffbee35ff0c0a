package io.ferry.connector.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * A sink for records with lines (an order and its items): per batch, in ONE transaction, each row is upserted into
 * {@code table} and its lines replace the ones stored for its key in {@code linesTable} (deleted, then inserted), so
 * the lines of a changed record are never appended to its old ones. Either the whole batch is committed or none of
 * it; a batch that fails is rolled back and Ferry writes its rows one by one (one bad row does not keep the others
 * out). The columns are the mapped row's fields (the lines' fields for the lines table); {@code linesField} holds
 * the list of lines. Use as {@code bean:NAME} from a sync's sink route, with the bean declared in the route file.
 */
public class RowWithLinesSink implements Processor, io.ferry.kernel.RendersRequest {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private String dataSource;
    private String table;
    private String linesTable;
    private String keyColumn;
    private String linesField = "lines";
    private volatile DataSource resolved;

    @Override
    public void process(Exchange exchange) throws Exception {
        List<?> rows = exchange.getIn().getBody(List.class);
        if (rows == null) {
            throw new IllegalArgumentException("RowWithLinesSink expects a batch (a list of rows)");
        }
        try (Connection c = dataSource(exchange).getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                for (Object r : rows) {
                    write(c, (Map<?, ?>) r);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    /** A row's own columns (its lines left out) and its lines, each line with the row's key column. */
    private record Split(Map<String, Object> columns, List<Map<String, Object>> lines) {
    }

    private Split split(Map<?, ?> row) {
        Map<String, Object> columns = new LinkedHashMap<>();
        List<?> raw = List.of();
        for (Map.Entry<?, ?> e : row.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (name.equals(linesField)) {
                raw = e.getValue() instanceof List<?> l ? l : List.of();
            } else {
                columns.put(identifier(name), e.getValue());
            }
        }
        Object key = columns.get(keyColumn);
        if (key == null) {
            throw new IllegalArgumentException("row has no " + keyColumn);
        }
        List<Map<String, Object>> lines = new ArrayList<>(raw.size());
        for (Object l : raw) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put(keyColumn, key);
            for (Map.Entry<?, ?> e : ((Map<?, ?>) l).entrySet()) {
                line.put(identifier(String.valueOf(e.getKey())), e.getValue());
            }
            lines.add(line);
        }
        return new Split(columns, lines);
    }

    private void write(Connection c, Map<?, ?> row) throws SQLException {
        Split split = split(row);
        Map<String, Object> columns = split.columns();
        Object key = columns.get(keyColumn);
        upsert(c, columns);
        try (PreparedStatement delete = c.prepareStatement(deleteSql())) {
            delete.setObject(1, key);
            delete.executeUpdate();
        }
        List<String> names = null;
        PreparedStatement insert = null;
        try {
            for (Map<String, Object> line : split.lines()) {
                if (insert == null || !names.equals(new ArrayList<>(line.keySet()))) {
                    if (insert != null) {
                        insert.executeBatch();
                        insert.close();
                    }
                    names = new ArrayList<>(line.keySet());
                    insert = c.prepareStatement(insertSql(names));
                }
                int i = 1;
                for (String n : names) {
                    insert.setObject(i++, line.get(n));
                }
                insert.addBatch();
            }
            if (insert != null) {
                insert.executeBatch();
            }
        } finally {
            if (insert != null) {
                insert.close();
            }
        }
    }

    private void upsert(Connection c, Map<String, Object> columns) throws SQLException {
        List<String> names = new ArrayList<>(columns.keySet());
        try (PreparedStatement ps = c.prepareStatement(upsertSql(names))) {
            int i = 1;
            for (String n : names) {
                ps.setObject(i++, columns.get(n));
            }
            ps.executeUpdate();
        }
    }

    private String upsertSql(List<String> names) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (").append(String.join(", ", names))
                .append(", synced_at) VALUES (").append(String.join(", ", java.util.Collections.nCopies(names.size(), "?")))
                .append(", CURRENT_TIMESTAMP(3)) ON DUPLICATE KEY UPDATE ");
        for (String n : names) {
            if (!n.equals(keyColumn)) {
                sql.append(n).append(" = VALUES(").append(n).append("), ");
            }
        }
        return sql.append("synced_at = VALUES(synced_at)").toString();
    }

    private String deleteSql() {
        return "DELETE FROM " + linesTable + " WHERE " + keyColumn + " = ?";
    }

    private String insertSql(List<String> names) {
        return "INSERT INTO " + linesTable + " (" + String.join(", ", names) + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(names.size(), "?")) + ")";
    }

    /**
     * The statements a batch is written with, in one transaction, without executing them: per row its upsert, the
     * delete of its lines and the insert of each line, each with its parameters in order.
     */
    @Override
    public List<Object> render(List<?> rows) {
        List<Object> statements = new ArrayList<>();
        for (Object r : rows) {
            Split split = split((Map<?, ?>) r);
            List<String> names = new ArrayList<>(split.columns().keySet());
            statements.add(statement(upsertSql(names), new ArrayList<>(split.columns().values())));
            statements.add(statement(deleteSql(), List.of(split.columns().get(keyColumn))));
            for (Map<String, Object> line : split.lines()) {
                statements.add(statement(insertSql(new ArrayList<>(line.keySet())), new ArrayList<>(line.values())));
            }
        }
        return List.of(Map.of("transaction", statements));
    }

    private static Map<String, Object> statement(String sql, List<Object> parameters) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("statement", sql);
        s.put("parameters", parameters);
        return s;
    }

    private static String identifier(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a column name");
        }
        return name;
    }

    private DataSource dataSource(Exchange exchange) {
        DataSource d = resolved;
        if (d == null) {
            d = exchange.getContext().getRegistry().lookupByNameAndType(dataSource, DataSource.class);
            if (d == null) {
                throw new IllegalStateException("no data source bean '" + dataSource + "'");
            }
            resolved = d;
        }
        return d;
    }

    /** The name of the data source bean, e.g. biDataSource. */
    public void setDataSource(String dataSource) {
        this.dataSource = dataSource;
    }

    public void setTable(String table) {
        this.table = identifier(table);
    }

    public void setLinesTable(String linesTable) {
        this.linesTable = identifier(linesTable);
    }

    public void setKeyColumn(String keyColumn) {
        this.keyColumn = identifier(keyColumn);
    }

    public void setLinesField(String linesField) {
        this.linesField = linesField;
    }
}
