package io.ferry.support;

import java.util.Properties;
import java.util.function.Supplier;

import com.mysql.cj.MysqlConnection;
import com.mysql.cj.PreparedQuery;
import com.mysql.cj.Query;
import com.mysql.cj.interceptors.QueryInterceptor;
import com.mysql.cj.log.Log;
import com.mysql.cj.protocol.Resultset;
import com.mysql.cj.protocol.ServerSession;

/**
 * A Connector/J query interceptor (named in a JDBC URL's {@code queryInterceptors}) that hands the text of every
 * top-level statement the driver sends, the driver's own included, to {@link #seen}; prepared statements without
 * their values (rendering them with the values bound is costly for a big batch).
 */
public abstract class StatementInterceptor implements QueryInterceptor {

    /** A statement the driver is about to send. */
    protected abstract void seen(String sql);

    @Override
    public QueryInterceptor init(MysqlConnection conn, Properties props, Log log) {
        return this;
    }

    @Override
    public <T extends Resultset> T preProcess(Supplier<String> sql, Query interceptedQuery) {
        seen(interceptedQuery instanceof PreparedQuery pq ? pq.getOriginalSql() : sql.get());
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
