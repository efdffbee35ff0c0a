package io.ferry.pipeline;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;

/**
 * camel-sql's statement strategy with the named parameters of each query found once. The default strategy scans
 * the whole SQL with a regex for every parameter of every row and converts the row to a map twice per parameter:
 * for the 12-column upsert of a JDBC sink that was an eighth of a sync's CPU (docs/benchmarks.md).
 * <p>
 * Only plain {@code :#name} parameters filled from a map body take the short way; {@code :#${simple}},
 * {@code :#in:}, header values and a missing name (with its error) are left to the default strategy.
 */
public class CachedSqlPrepareStatementStrategy extends DefaultSqlPrepareStatementStrategy {

    private static final Pattern SIMPLE_NAME = Pattern.compile(":[?#](\\w+)");
    private static final List<String> NOT_SIMPLE = Collections.emptyList();

    private final Map<String, List<String>> names = new ConcurrentHashMap<>();
    private final Map<String, String> prepared = new ConcurrentHashMap<>();

    public CachedSqlPrepareStatementStrategy(char separator) {
        super(separator);
    }

    /** The JDBC form of a query with plain parameters depends on its text only: replaced once, not per batch. */
    @Override
    public String prepareQuery(String query, boolean allowNamedParameters, Exchange exchange) throws SQLException {
        if (!allowNamedParameters || names.computeIfAbsent(query, CachedSqlPrepareStatementStrategy::simpleNames) == NOT_SIMPLE) {
            return super.prepareQuery(query, allowNamedParameters, exchange);
        }
        String answer = prepared.get(query);
        if (answer == null) {
            answer = super.prepareQuery(query, true, exchange);
            prepared.put(query, answer);
        }
        return answer;
    }

    @Override
    public Iterator<?> createPopulateIterator(String query, String preparedQuery, int expectedParams, Exchange exchange,
            Object value) throws SQLException {
        List<String> params = names.computeIfAbsent(query, CachedSqlPrepareStatementStrategy::simpleNames);
        if (params != NOT_SIMPLE && params.size() == expectedParams && value instanceof Map<?, ?> row
                && row.keySet().containsAll(params)) {
            List<Object> values = new ArrayList<>(params.size());
            for (String p : params) {
                values.add(row.get(p));
            }
            return values.iterator();
        }
        return super.createPopulateIterator(query, preparedQuery, expectedParams, exchange, value);
    }

    /** The query's parameter names in order, or NOT_SIMPLE when any parameter is more than a plain name. */
    static List<String> simpleNames(String query) {
        if (query.contains(":?$") || query.contains(":#$") || query.contains(":?in:") || query.contains(":#in:")) {
            return NOT_SIMPLE;
        }
        List<String> out = new ArrayList<>();
        Matcher m = SIMPLE_NAME.matcher(query);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out.isEmpty() ? NOT_SIMPLE : List.copyOf(out);
    }
}
