package io.ferry.support;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

import com.zaxxer.hikari.HikariDataSource;

import io.ferry.connector.ConnectorComponent;
import io.ferry.state.Databases;
import io.ferry.state.SharedCallLedger;

/**
 * A MariaDB state database of its own, migrated, whose call ledger replicas share: each replica (a Camel context,
 * closed with the database) gets a pool of its own, as a process of its own would.
 */
public final class SharedLedgerDatabase implements AutoCloseable {

    private final String url = TestDatabases.newMysqlDatabase();
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final List<DefaultCamelContext> replicas = new ArrayList<>();

    public SharedLedgerDatabase() {
        try (HikariDataSource ds = pool()) {
            Databases.migrateState(ds);
        }
    }

    private HikariDataSource pool() {
        return Databases.pool("ledger-test", url, TestDatabases.MYSQL_USER, TestDatabases.MYSQL_PASSWORD, 4);
    }

    /**
     * A replica: a Camel context (not started) whose budgets count their calls in this database's ledger as
     * {@code node} when {@code shared}, or alone.
     */
    public CamelContext replica(String node, boolean shared) {
        DefaultCamelContext camel = new DefaultCamelContext();
        replicas.add(camel);
        if (shared) {
            HikariDataSource ds = pool();
            pools.add(ds);
            ConnectorComponent.callBudgets(camel).share(new SharedCallLedger(ds, node, 90_000));
        }
        return camel;
    }

    @Override
    public void close() throws Exception {
        for (DefaultCamelContext camel : replicas) {
            camel.close();
        }
        pools.forEach(HikariDataSource::close);
        TestDatabases.dropMysqlDatabase(url);
    }
}
