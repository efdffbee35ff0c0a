package io.ferry.state;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/** Builds the pooled DataSources Ferry uses and applies their Flyway migrations. */
public final class Databases {

    private Databases() {
    }

    public static HikariDataSource pool(String name, String url, String user, String password, int maxPoolSize) {
        return pool(name, url, user, password, maxPoolSize, 10_000);
    }

    /**
     * @param connectionTimeoutMs how long a statement waits for a connection while the database does not answer
     *                            before it fails (and is retried as a transient failure)
     */
    public static HikariDataSource pool(String name, String url, String user, String password, int maxPoolSize,
            long connectionTimeoutMs) {
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName(name);
        cfg.setJdbcUrl(withMysqlDefaults(url));
        cfg.setUsername(user);
        cfg.setPassword(password);
        cfg.setMaximumPoolSize(maxPoolSize);
        cfg.setMinimumIdle(1);
        // fail fast at start-up with the driver's own message when the database cannot be reached
        cfg.setInitializationFailTimeout(10_000);
        cfg.setConnectionTimeout(connectionTimeoutMs);
        return new HikariDataSource(cfg);
    }

    /**
     * Batched statements become one multi-row INSERT on MySQL only with rewriteBatchedStatements. The driver
     * parses a statement's SQL on every prepareStatement unless it caches them: a sync prepares the same few
     * statements for every page and batch (the sink's upsert is 700 characters, hence the SQL length limit).
     */
    static String withMysqlDefaults(String url) {
        if (!url.startsWith("jdbc:mysql:") && !url.startsWith("jdbc:mariadb:")) {
            return url;
        }
        StringBuilder sb = new StringBuilder(url);
        char sep = url.contains("?") ? '&' : '?';
        for (String opt : new String[] { "rewriteBatchedStatements=true", "useUnicode=true",
                "characterEncoding=utf8", "connectionTimeZone=LOCAL", "cachePrepStmts=true", "prepStmtCacheSize=250",
                "prepStmtCacheSqlLimit=8192" }) {
            String name = opt.substring(0, opt.indexOf('='));
            if (!url.contains(name + "=")) {
                sb.append(sep).append(opt);
                sep = '&';
            }
        }
        return sb.toString();
    }

    /** Ferry's state tables (classpath:db/migration). */
    public static void migrateState(DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration")
                .table("ferry_schema_history").load().migrate();
    }

    /** A target schema kept beside Ferry's (e.g. classpath:db/bi), with its own history table. */
    public static void migrateTarget(DataSource ds, String location, String historyTable) {
        Flyway.configure().dataSource(ds).locations(location).table(historyTable)
                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
    }
}
