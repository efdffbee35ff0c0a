package io.ferry.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Databases for tests: a fresh MariaDB/MySQL schema per call on the server that scripts/test.sh made sure
 * is running (FERRY_TEST_MYSQL_URL, default jdbc:mysql://127.0.0.1:3306/, root, empty password), or a fresh
 * in-memory H2 in MySQL mode.
 */
public final class TestDatabases {

    public static final String MYSQL_SERVER = System.getenv().getOrDefault("FERRY_TEST_MYSQL_URL", "jdbc:mysql://127.0.0.1:3306/");
    public static final String MYSQL_USER = System.getenv().getOrDefault("FERRY_TEST_MYSQL_USER", "root");
    public static final String MYSQL_PASSWORD = System.getenv().getOrDefault("FERRY_TEST_MYSQL_PASSWORD", "");

    private TestDatabases() {
    }

    /** A JDBC URL of a new, empty MariaDB database that no other test uses. */
    public static String newMysqlDatabase() {
        String name = "ferry_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
        return MYSQL_SERVER + name + "?sslMode=DISABLED&allowPublicKeyRetrieval=true";
    }

    /** {@code PREFIX.url}, {@code .username} and {@code .password} of a MariaDB database: ferry.state or ferry.bi. */
    public static java.util.Map<String, String> mysqlSettings(String prefix, String url) {
        return java.util.Map.of(prefix + ".url", url, prefix + ".username", MYSQL_USER, prefix + ".password", MYSQL_PASSWORD);
    }

    public static void dropMysqlDatabase(String url) {
        String name = url.substring(MYSQL_SERVER.length(), url.indexOf('?'));
        exec("DROP DATABASE IF EXISTS " + name);
    }

    /** A JDBC URL of a new in-memory H2 database in MySQL mode (kept until the JVM exits). */
    public static String newH2Database() {
        return "jdbc:h2:mem:ferry_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
    }

    private static void exec(String sql) {
        try (Connection c = DriverManager.getConnection(MYSQL_SERVER + "?sslMode=DISABLED&allowPublicKeyRetrieval=true",
                MYSQL_USER, MYSQL_PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB/MySQL for tests is not reachable at " + MYSQL_SERVER
                    + " (run the tests with scripts/test.sh, which starts it): " + e.getMessage(), e);
        }
    }
}
