package io.ferry.bench;

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
 * Connector/J query interceptor ({@code queryInterceptors=io.ferry.bench.CountingQueryInterceptor} in the JDBC
 * URL) that feeds {@link StatementCounter}. It sees every statement the driver sends, whichever pool or
 * component sent it, so Ferry needs no change to be counted, and other clients of the server do not count.
 */
public class CountingQueryInterceptor implements QueryInterceptor {

    @Override
    public QueryInterceptor init(MysqlConnection conn, Properties props, Log log) {
        return this;
    }

    @Override
    public <T extends Resultset> T preProcess(Supplier<String> sql, Query interceptedQuery) {
        // a prepared statement's supplier renders the SQL with its values bound: costly for a big batch
        if (interceptedQuery instanceof PreparedQuery pq) {
            StatementCounter.count(pq.getOriginalSql());
        } else {
            StatementCounter.count(sql.get());
        }
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
