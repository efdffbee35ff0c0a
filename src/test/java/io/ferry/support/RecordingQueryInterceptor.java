package io.ferry.support;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import com.mysql.cj.MysqlConnection;
import com.mysql.cj.PreparedQuery;
import com.mysql.cj.Query;
import com.mysql.cj.interceptors.QueryInterceptor;
import com.mysql.cj.log.Log;
import com.mysql.cj.protocol.Resultset;
import com.mysql.cj.protocol.ServerSession;

/**
 * Connector/J query interceptor ({@code queryInterceptors=io.ferry.support.RecordingQueryInterceptor} in a JDBC URL)
 * that keeps the text of every statement the driver sends on that URL's connections, the driver's own ({@code SET
 * autocommit}, {@code commit}) included, for a test to read.
 */
public class RecordingQueryInterceptor implements QueryInterceptor {

    private static final List<String> STATEMENTS = new CopyOnWriteArrayList<>();

    /** The statements sent since the last {@link #clear()}, prepared ones without their values. */
    public static List<String> statements() {
        return List.copyOf(STATEMENTS);
    }

    public static void clear() {
        STATEMENTS.clear();
    }

    @Override
    public QueryInterceptor init(MysqlConnection conn, Properties props, Log log) {
        return this;
    }

    @Override
    public <T extends Resultset> T preProcess(Supplier<String> sql, Query interceptedQuery) {
        STATEMENTS.add(interceptedQuery instanceof PreparedQuery pq ? pq.getOriginalSql() : sql.get());
        return null;
    }

    @Override
    public boolean executeTopLevelOnly() {
        return true;
    }

    @Override
    public void destroy() {
    }

    @Override
    public <T extends Resultset> T postProcess(Supplier<String> sql, Query interceptedQuery, T originalResultSet,
            ServerSession serverSession) {
        return null;
    }
}
