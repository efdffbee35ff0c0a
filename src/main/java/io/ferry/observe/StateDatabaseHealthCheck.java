package io.ferry.observe;

import java.sql.Connection;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** {@code ferry:state-database}: UP when a connection from the state pool answers within 2 s. */
public class StateDatabaseHealthCheck extends AbstractHealthCheck {

    private final DataSource dataSource;

    public StateDatabaseHealthCheck(DataSource dataSource) {
        super("ferry", "state-database");
        this.dataSource = dataSource;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(2)) {
                builder.up();
            } else {
                builder.down().message("the state database did not answer within 2 s");
            }
        } catch (Exception e) {
            builder.down().message("the state database cannot be reached: " + e.getMessage());
        }
    }
}
