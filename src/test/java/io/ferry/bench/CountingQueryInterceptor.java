package io.ferry.bench;

import io.ferry.support.StatementInterceptor;

/**
 * Connector/J query interceptor ({@code queryInterceptors=io.ferry.bench.CountingQueryInterceptor} in the JDBC
 * URL) that feeds {@link StatementCounter}. It sees every statement the driver sends, whichever pool or
 * component sent it, so Ferry needs no change to be counted, and other clients of the server do not count.
 */
public class CountingQueryInterceptor extends StatementInterceptor {

    @Override
    protected void seen(String sql) {
        StatementCounter.count(sql);
    }
}
