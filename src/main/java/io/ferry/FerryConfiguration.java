package io.ferry;

import javax.sql.DataSource;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;

import io.ferry.kernel.ConfigurationException;
import io.ferry.deadletter.DeadLetterService;
import io.ferry.pipeline.DeadLetterReplayer;
import io.ferry.pipeline.CachedSqlPrepareStatementStrategy;
import io.ferry.pipeline.PerCallRetries;
import io.ferry.pipeline.ScanPositions;
import io.ferry.pipeline.PagingLoop;
import io.ferry.pipeline.SyncRegistry;
import io.ferry.reconcile.Reconciler;
import io.ferry.state.Databases;
import io.ferry.state.FerryState;
import io.ferry.state.SharedCallLedger;
import io.ferry.connector.ConnectorComponent;

/**
 * Binds what the routes name: {@code ferryPaging} (the paging loop's condition), {@code ferryState} (the state database, migrated by Flyway), {@code ferrySyncs},
 * and {@code biDataSource} (the BI target of the Jushuitan sync; the state database unless {@code ferry.bi.url}
 * names another).
 */
public class FerryConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(FerryConfiguration.class);

    @Override
    public void configure(CamelContext camel) {
        camel.getRegistry().bind(PagingLoop.BEAN, new PagingLoop());
        PropertiesComponent props = camel.getPropertiesComponent();
        String stateUrl = required(props, "ferry.state.url");
        HikariDataSource state = connect("state database", stateUrl, "ferry.state.url", "FERRY_STATE_URL",
                () -> Databases.pool("ferry-state", stateUrl, prop(props, "ferry.state.username", ""),
                        prop(props, "ferry.state.password", ""), Integer.parseInt(prop(props, "ferry.state.pool-size", "5")),
                        Long.parseLong(prop(props, "ferry.state.connection-timeout", "10000")),
                        Boolean.parseBoolean(prop(props, "ferry.state.read-only", "false"))));
        // a command that only reads (preview) leaves a state database at the schema version it found
        if (Boolean.parseBoolean(prop(props, "ferry.state.migrate", "true"))) {
            Databases.migrateState(state);
        }
        FerryState ferryState;
        try {
            ferryState = new FerryState(state, prop(props, "ferry.node", "ferry"),
                    duration(props, "ferry.run.heartbeat-interval", FerryState.HEARTBEAT_INTERVAL),
                    duration(props, "ferry.run.heartbeat-timeout", FerryState.HEARTBEAT_TIMEOUT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
        int abandoned = Boolean.parseBoolean(prop(props, "ferry.close-abandoned-runs", "true"))
                ? ferryState.runs().abandonRunning(ferryState.node()) : 0;
        if (abandoned > 0) {
            LOG.warn("{} run(s) of node {} were left running by a process that stopped; closed as abandoned", abandoned,
                    ferryState.node());
        }
        camel.getRegistry().bind(FerryState.BEAN, ferryState);
        if (Boolean.parseBoolean(prop(props, "ferry.budgets.shared", "false"))) {
            // before any route makes a component's budget: every budget of this process counts in the shared ledger
            ConnectorComponent.callBudgets(camel).share(new SharedCallLedger(state, ferryState.node(),
                    Long.parseLong(prop(props, "ferry.budgets.in-flight-timeout", "90000"))));
            LOG.info("vendor call budgets are shared with every process on this state database");
        }
        SyncRegistry syncs = new SyncRegistry();
        syncs.addListener(new ScanPositions(ferryState));
        camel.getRegistry().bind(SyncRegistry.BEAN, syncs);
        camel.getRegistry().bind(DeadLetterService.BEAN, new DeadLetterReplayer(camel, ferryState, syncs));
        camel.getRegistry().bind(Reconciler.BEAN, new Reconciler(camel, ferryState, syncs));
        try {
            // API-call log, metrics, health checks, JMX, alerts
            io.ferry.observe.Observability.configure(camel, ferryState, syncs);
            io.ferry.observe.ManagementServer management = camel.getRegistry().lookupByNameAndType(
                    io.ferry.observe.Observability.MANAGEMENT_BEAN, io.ferry.observe.ManagementServer.class);
            if (management != null) {
                // the REST API, behind the users and tokens of ferry.users.* and ferry.api.tokens.*
                io.ferry.api.ApiRouter.mountOn(camel, management, ferryState, syncs);
                if (Boolean.parseBoolean(prop(props, "ferry.console.enabled", "true"))) {
                    io.ferry.console.ConsoleRouter.mountOn(management);
                }
            }
        } catch (ConfigurationException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("observability could not be set up: " + e.getMessage(), e);
        }

        String biUrl = prop(props, "ferry.bi.url", "");
        DataSource bi = biUrl.isBlank() || biUrl.equals(stateUrl) ? state
                : connect("BI database", biUrl, "ferry.bi.url", "FERRY_BI_URL", () -> Databases.pool("ferry-bi", biUrl,
                        prop(props, "ferry.bi.username", ""), prop(props, "ferry.bi.password", ""),
                        Integer.parseInt(prop(props, "ferry.bi.pool-size", "5"))));
        if (Boolean.parseBoolean(prop(props, "ferry.bi.create-schema", "false"))) {
            Databases.migrateTarget(bi, "classpath:db/bi", "ferry_bi_schema_history");
        }
        camel.getRegistry().bind("biDataSource", bi);
        // each call of a route gets its own retry attempts, however many faults the run met before
        camel.getCamelContextExtension().addInterceptStrategy(new PerCallRetries());
        // every sql: endpoint without a strategy of its own gets the one that parses its parameters once
        camel.getCamelContextExtension().registerEndpointCallback((uri, endpoint) -> {
            if (endpoint instanceof SqlEndpoint sql && sql.getPrepareStatementStrategy() == null) {
                sql.setPrepareStatementStrategy(new CachedSqlPrepareStatementStrategy(sql.getSeparator()));
            }
            return endpoint;
        });
        LOG.info("state database {}", redact(stateUrl));
    }

    /** A pool that could not make its first connection is a configuration error: one line, no stack trace. */
    private static HikariDataSource connect(String role, String url, String property, String environment,
            java.util.function.Supplier<HikariDataSource> pool) {
        try {
            return pool.get();
        } catch (HikariPool.PoolInitializationException e) {
            throw new ConfigurationException(Databases.cannotConnect(role, url, property, environment, e), e);
        }
    }

    /** A duration setting: ISO-8601 (PT3S) or whole seconds. */
    private static java.time.Duration duration(PropertiesComponent props, String key, java.time.Duration dflt) {
        String v = prop(props, key, "").strip();
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            return v.matches("\\d+") ? java.time.Duration.ofSeconds(Long.parseLong(v)) : java.time.Duration.parse(v);
        } catch (RuntimeException e) {
            throw new ConfigurationException(key + " = " + v + " is not a duration (seconds, or ISO-8601 such as PT3S)");
        }
    }

    private static String required(PropertiesComponent props, String key) {
        String v = prop(props, key, "");
        if (v.isBlank()) {
            throw new ConfigurationException(key + " is not set");
        }
        return v;
    }

    private static String prop(PropertiesComponent props, String key, String dflt) {
        return props.resolveProperty(key).orElse(dflt);
    }

    /** A JDBC URL without any password it may carry. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
