package io.ferry.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Connector/J query interceptor ({@code queryInterceptors=io.ferry.support.RecordingQueryInterceptor} in a JDBC URL)
 * that keeps the text of every statement the driver sends on that URL's connections, the driver's own ({@code SET
 * autocommit}, {@code commit}) included, for a test to read.
 */
public class RecordingQueryInterceptor extends StatementInterceptor {

    private static final List<String> STATEMENTS = new CopyOnWriteArrayList<>();

    /** The statements sent since the last {@link #clear()}, prepared ones without their values. */
    public static List<String> statements() {
        return List.copyOf(STATEMENTS);
    }

    public static void clear() {
        STATEMENTS.clear();
    }

    @Override
    protected void seen(String sql) {
        STATEMENTS.add(sql);
    }
}
