package io.ferry.support;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;

import com.zaxxer.hikari.HikariDataSource;

import io.ferry.connector.ConnectorComponent;
import io.ferry.state.Databases;
import io.ferry.state.SharedCallLedger;

/**
 * A MariaDB state database of its own, migrated, whose call ledger replicas share: each replica (a Camel context)
 * gets a pool of its own, as a process of its own would.
 */
public final class SharedLedgerDatabase implements AutoCloseable {

    private final String url = TestDatabases.newMysqlDatabase();
    private final List<HikariDataSource> pools = new ArrayList<>();

    public SharedLedgerDatabase() {
        try (HikariDataSource ds = pool()) {
            Databases.migrateState(ds);
        }
    }

    private HikariDataSource pool() {
        return Databases.pool("ledger-test", url, TestDatabases.MYSQL_USER, TestDatabases.MYSQL_PASSWORD, 4);
    }

    /** Counts the calls of every budget of {@code camel} in this database's ledger, as replica {@code node}. */
    public void share(CamelContext camel, String node) {
        HikariDataSource ds = pool();
        pools.add(ds);
        ConnectorComponent.callBudgets(camel).share(new SharedCallLedger(ds, node, 90_000));
    }

    @Override
    public void close() {
        pools.forEach(HikariDataSource::close);
        TestDatabases.dropMysqlDatabase(url);
    }
}
