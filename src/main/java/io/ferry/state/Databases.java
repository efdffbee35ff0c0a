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
        return pool(name, url, user, password, maxPoolSize, connectionTimeoutMs, false);
    }

    /**
     * @param readOnly every connection read-only: MySQL and MariaDB then refuse any write of the session (Connector/J
     *                 sends {@code SET SESSION TRANSACTION READ ONLY}); H2 treats it as a hint only, so a file
     *                 database is opened with {@code ACCESS_MODE_DATA=r} when no other process serves it
     *                 ({@code AUTO_SERVER}), where H2 would refuse the second opening's different mode; and
     *                 with {@code IFEXISTS=TRUE}, so that a file that is not there is not created
     */
    public static HikariDataSource pool(String name, String url, String user, String password, int maxPoolSize,
            long connectionTimeoutMs, boolean readOnly) {
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName(name);
        cfg.setReadOnly(readOnly);
        String jdbc = withMysqlDefaults(url);
        String upper = jdbc.toUpperCase(java.util.Locale.ROOT);
        if (readOnly && jdbc.startsWith("jdbc:h2:file:")) {
            // a reader does not create the database file it was pointed at
            if (!upper.contains("IFEXISTS")) {
                jdbc = jdbc + ";IFEXISTS=TRUE";
            }
            if (!upper.contains("AUTO_SERVER=TRUE") && !upper.contains("ACCESS_MODE_DATA")) {
                jdbc = jdbc + ";ACCESS_MODE_DATA=r";
            }
        }
        cfg.setJdbcUrl(jdbc);
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
     * Where a JDBC URL points, for a message a person reads: {@code host:port} of a server (MySQL's port 3306
     * when the URL names none), the path of an embedded H2 file database.
     */
    public static String where(String url) {
        String u = url.strip();
        int params = indexOfAny(u, ";?");
        String base = params < 0 ? u : u.substring(0, params);
        int slashes = base.indexOf("//");
        if (slashes >= 0) {
            String rest = base.substring(slashes + 2);
            int end = rest.indexOf('/');
            String hosts = end < 0 ? rest : rest.substring(0, end);
            if ((u.startsWith("jdbc:mysql:") || u.startsWith("jdbc:mariadb:")) && !hosts.contains(":") && !hosts.contains(",")) {
                hosts = hosts + ":3306";
            }
            return hosts;
        }
        if (base.startsWith("jdbc:h2:")) {
            String path = base.substring("jdbc:h2:".length());
            return path.startsWith("file:") ? path.substring("file:".length()) : path;
        }
        return base;
    }

    /** The one line that says a database could not be connected to, why, and which setting names it. */
    public static String cannotConnect(String role, String url, String property, String environment, Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return "cannot connect to the " + role + " at " + where(url) + ": " + why.replaceAll("\\s+", " ").strip()
                + " (check " + property + " / " + environment + ")";
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
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
