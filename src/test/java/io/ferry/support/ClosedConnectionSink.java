package io.ferry.support;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.jdbc.UncategorizedSQLException;

/**
 * A sink that fails as camel-sql does when the database dropped the connection under a statement (Spring's
 * UncategorizedSQLException around HikariCP's "Connection is closed", no SQLSTATE) on every {@link #failEvery}th
 * call, and takes the batch otherwise.
 */
public class ClosedConnectionSink {

    public static final AtomicInteger CALLS = new AtomicInteger();
    public static final AtomicInteger FAILED = new AtomicInteger();
    public static volatile int failEvery = 3;

    public void write(List<?> rows) {
        if (CALLS.incrementAndGet() % failEvery == 0) {
            FAILED.incrementAndGet();
            throw new UncategorizedSQLException("PreparedStatementCallback", "INSERT INTO bi_shop …",
                    new SQLException("Connection is closed"));
        }
    }
}
