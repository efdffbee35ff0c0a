package io.ferry.support;

import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ferry.state.Sql;

/** Every row of some tables, ordered by their first columns, as text: two dumps are equal only when nothing changed. */
public final class TableDump {

    /** Ferry's state tables (V1–V7). */
    public static final List<String> STATE = List.of("ferry_synced_key", "ferry_offset", "ferry_run", "ferry_dead_letter",
            "ferry_api_call", "ferry_scan_position", "ferry_sync", "ferry_state_edit", "ferry_reconcile_queue",
            "ferry_reconcile_finding");

    private TableDump() {
    }

    public static Map<String, List<String>> of(Sql sql, List<String> tables) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String table : tables) {
            out.put(table, sql.query("SELECT * FROM " + table + " ORDER BY 1, 2", rs -> {
                ResultSetMetaData md = rs.getMetaData();
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    values.add(md.getColumnLabel(i) + "=" + rs.getString(i));
                }
                return String.join("|", values);
            }));
        }
        return out;
    }
}
