package io.ferry.connector.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code sql:} sink would execute for a batch of rows, without executing it: its statement as the route
 * writes it, and for each row the statement's named parameters ({@code :#name}) bound from the row, in the order
 * the statement names them. camel-sql takes a parameter from the row's field of that name; a row without it would
 * fail the batch, and is shown so ({@code missing}).
 */
public final class SqlBatchRender {

    /**
     * camel-sql's named parameter: {@code :#name}, which its endpoint keeps as {@code :?name} (an expression
     * {@code :#${…}} is left as it is).
     */
    private static final Pattern NAMED = Pattern.compile(":[#?]([A-Za-z_][A-Za-z0-9_.]*)");

    private SqlBatchRender() {
    }

    /** The statement's named parameters, in order (a name used twice is bound twice). */
    public static List<String> parameters(String statement) {
        List<String> names = new ArrayList<>();
        Matcher m = NAMED.matcher(statement);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * One element: {@code {"statement": …, "rows": [{"parameters": {name: value, …}, "missing": [names]}, …]}}
     * ({@code missing} only when the row lacks a parameter). With {@code batch=true} camel-sql sends the rows as one
     * JDBC batch; without it, one statement per row.
     */
    public static List<Object> render(String statement, List<?> rows) {
        List<String> names = parameters(statement);
        List<Object> bound = new ArrayList<>(rows.size());
        for (Object row : rows) {
            Map<String, Object> parameters = new LinkedHashMap<>();
            List<String> missing = new ArrayList<>();
            Map<?, ?> fields = row instanceof Map<?, ?> m ? m : Map.of();
            for (String name : names) {
                if (fields.containsKey(name)) {
                    parameters.put(name, fields.get(name));
                } else if (!missing.contains(name)) {
                    missing.add(name);
                }
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("parameters", parameters);
            if (!missing.isEmpty()) {
                one.put("missing", missing);
            }
            bound.add(one);
        }
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("statement", NAMED.matcher(statement.strip().replaceAll("\\s+", " ")).replaceAll(":#$1"));
        call.put("rows", bound);
        return List.of(call);
    }
}
