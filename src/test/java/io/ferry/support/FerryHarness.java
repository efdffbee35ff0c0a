package io.ferry.support;

import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import io.ferry.FerryApp;
import io.ferry.sandbox.Sandbox;
import io.ferry.state.FerryState;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.state.Sql;

/**
 * Ferry as the product runs it, for end-to-end tests: the real route files from routes/, the sandbox
 * simulators, and a fresh state database (MariaDB or H2). Schedules are off; tests run syncs with
 * {@link #runSync(String)}.
 */
public class FerryHarness implements AutoCloseable {

    public enum Db { MARIADB, H2 }

    private final Db db;
    private final String url;
    private final Sandbox sandbox;
    private final Map<String, String> properties = new HashMap<>();
    private FerryApp app;

    public FerryHarness(Db db, int shops) {
        this.db = db;
        this.url = db == Db.MARIADB ? TestDatabases.newMysqlDatabase() : TestDatabases.newH2Database();
        this.sandbox = new Sandbox(shops);
        properties.putAll(sandbox.properties());
        properties.put("ferry.schedules.enabled", "false");
        properties.put("ferry.state.url", url);
        properties.put("ferry.state.username", db == Db.MARIADB ? TestDatabases.MYSQL_USER : "sa");
        properties.put("ferry.state.password", db == Db.MARIADB ? TestDatabases.MYSQL_PASSWORD : "");
        properties.put("ferry.bi.url", "");
        // fast retries in tests
        properties.put("ferry.retry.initial-delay", "10");
        properties.put("ferry.retry.max-delay", "50");
        properties.put("ferry.retry.max-redeliveries", "2");
        // tests run side by side: the management server must not take a fixed port
        properties.put("ferry.management.port", String.valueOf(freePort()));
    }

    /** A port nobody listens on now. */
    public static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no free port: " + e.getMessage(), e);
        }
    }

    /** Loads these route files instead of routes/*.yaml (a Camel include pattern). */
    public FerryHarness routes(String includePattern) {
        return with("camel.main.routes-include-pattern", includePattern);
    }

    /** Sets a property before {@link #start()} (or before a restart). */
    public FerryHarness with(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** Drops a property set by the sandbox or {@link #with}, so that application.properties decides. */
    /** A user of the console and API with this role and password (stored as its bcrypt hash, as Ferry requires). */
    public FerryHarness withUser(String name, String role, String password) {
        with("ferry.users." + name + ".password-hash", io.ferry.auth.Secrets.bcrypt(password));
        return with("ferry.users." + name + ".role", role);
    }

    public FerryHarness without(String key) {
        properties.remove(key);
        return this;
    }

    /** Loads these route files instead of routes/ (e.g. a test-only sync beside routes/ferry-sync.yaml). */
    public FerryHarness withRoutes(String includePattern) {
        return with("camel.main.routes-include-pattern", includePattern);
    }

    /** The properties this Ferry is started with (the state database, the simulators' endpoints, the ports). */
    public Map<String, String> properties() {
        return Map.copyOf(properties);
    }

    public FerryHarness start() throws Exception {
        app = new FerryApp(properties).start();
        return this;
    }

    /** Stops Ferry (the simulators and the database stay) and starts it again. */
    public FerryHarness restart() throws Exception {
        app.close();
        return start();
    }

    public RunRecord runSync(String sync) {
        return app.runSync(sync);
    }

    public FerryApp app() {
        return app;
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    public FerryState state() {
        return app.state();
    }

    public DataSource dataSource() {
        return app.state().dataSource();
    }

    /** A pool of its own on the test's state database, to read it while Ferry is stopped; the caller closes it. */
    public com.zaxxer.hikari.HikariDataSource separatePool() {
        return io.ferry.state.Databases.pool("ferry-test", url, properties.get("ferry.state.username"),
                properties.get("ferry.state.password"), 1);
    }

    public Sql sql() {
        return new Sql(dataSource());
    }

    public long count(String sql, Object... params) {
        return sql().queryOne(sql, rs -> rs.getLong(1), params);
    }

    /** The JDBC URL of the test's own state database (whatever {@code ferry.state.url} is set to). */
    public String stateUrl() {
        return url;
    }

    public Db db() {
        return db;
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
        }
        sandbox.close();
        if (db == Db.MARIADB) {
            TestDatabases.dropMysqlDatabase(url);
        }
    }
}
