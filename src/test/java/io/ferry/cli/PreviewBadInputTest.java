package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import io.ferry.FerryMain;
import io.ferry.kernel.ConfigurationException;
import io.ferry.sandbox.JushuitanSimulator;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;
import io.ferry.support.TableDump;

/**
 * {@code ferry preview} on bad records (listed as rejected with the reason, nothing dead-lettered), on a state
 * database that is empty or at an older schema (read, never migrated), and on bad arguments (exit code 2, a clear
 * message, nothing read).
 */
class PreviewBadInputTest {

    private static final String SHOPS = "jst-shops-to-mysql";

    record Printed(int rc, String out, String err) {
    }

    static Printed preview(FerryHarness f, String sync, int limit, String window) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = PreviewCommand.preview(sync, limit, window, PreviewCommand.Format.text, f.properties(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Printed(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Printed ferry(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = FerryMain.execute(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Printed(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRecordTheMappingFailsOnAndOneWithoutItsKeyAreListedAsRejectedAndNothingIsDeadLettered() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 30).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            Map<String, Object> nameless = new HashMap<>(JushuitanSimulator.shop(2));
            nameless.remove("shop_name");
            f.sandbox().jushuitan().overrideShop(2, nameless);
            Map<String, Object> keyless = new HashMap<>(JushuitanSimulator.shop(5));
            keyless.remove("shop_id");
            f.sandbox().jushuitan().overrideShop(5, keyless);
            Thread.sleep(300);
            Map<String, List<String>> before = TableDump.all(f.dataSource());
            Printed p = preview(f, SHOPS, 100, null);
            assertThat(p.rc()).as(p.err()).isZero();
            assertThat(p.out()).contains("rejected (2)")
                    .containsPattern("10000002 +mapping routes/mappings/jst-shop-to-bi.jsonata failed: shop_name is missing \\(shop_id=10000002\\)")
                    .containsPattern("\\(no key\\) +record has no shop_id")
                    .contains("read 30, would write 28 in 2 batches, would skip 0, would reject 2")
                    .contains("the source's end was reached; nothing was written");
            Thread.sleep(700);
            assertThat(TableDump.all(f.dataSource())).isEqualTo(before);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_dead_letter")).isZero();
        }
    }

    @Test
    void aStateDatabaseWithoutFerryTablesReadsAsNothingSyncedAndGetsNoTable() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 30)) {
            f.sandbox().jushuitan().rateLimit(false);
            Printed p = preview(f, SHOPS, 10, null);
            assertThat(p.rc()).as(p.err()).isZero();
            assertThat(p.out()).contains("the state database has no Ferry tables: nothing synced yet (preview creates none)")
                    .contains("read 10, would write 10 in 1 batch, would skip 0, would reject 0")
                    .contains("stopped at --limit 10; the source has more");
            try (HikariDataSource ds = f.separatePool()) {
                assertThat(TableDump.all(ds)).isEmpty();
            }
        }
    }

    @Test
    void aStateDatabaseAtAnOlderSchemaIsSaidSoAndReadAsItIs() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 30)) {
            f.sandbox().jushuitan().rateLimit(false);
            Map<String, List<String>> before;
            try (HikariDataSource ds = f.separatePool()) {
                Flyway.configure().dataSource(ds).locations("classpath:db/migration").table("ferry_schema_history").target("4")
                        .load().migrate();
                before = TableDump.all(ds);
            }
            Printed p = preview(f, SHOPS, 5, null);
            assertThat(p.rc()).as(p.err()).isZero();
            assertThat(p.out()).containsPattern("the state database is at schema version 4, \\d+ migration\\(s\\) behind this Ferry's \\d+")
                    .contains("read 5, would write 5 in 1 batch");
            try (HikariDataSource ds = f.separatePool()) {
                assertThat(TableDump.all(ds)).isEqualTo(before);
            }
        }
    }

    @Test
    void anH2FileIsOpenedReadOnlyAndOneThatIsNotThereIsNotCreated() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(java.nio.file.Path.of("target"), "preview-h2-").toAbsolutePath();
        String missing = "jdbc:h2:file:" + dir.resolve("missing") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE";
        try (FerryHarness f = new FerryHarness(Db.H2, 10).with("ferry.state.url", missing)) {
            assertThatThrownBy(() -> preview(f, SHOPS, 5, null)).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("cannot connect to the state database").hasMessageContaining("not found");
            assertThat(dir.toFile().list()).isEmpty();
        }
        String file = "jdbc:h2:file:" + dir.resolve("state") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE";
        try (FerryHarness f = new FerryHarness(Db.H2, 10).with("ferry.state.url", file)) {
            f.sandbox().jushuitan().rateLimit(false);
            f.start();
            assertThat(f.runSync(SHOPS).written()).isEqualTo(10);
            f.sandbox().jushuitan().addShops(2);
            f.app().close(); // H2 opens a file once per JVM: the preview's read-only opening is its own
            Printed p = preview(f, SHOPS, 50, null);
            assertThat(p.rc()).as(p.err()).isZero();
            assertThat(p.out()).contains("read 12, would write 2 in 1 batch, would skip 10, would reject 0");
        }
    }

    @Test
    void badArgumentsExitWithTwoAndAClearMessage() throws Exception {
        // refused before anything starts: the exit code is the command line's
        Printed zero = ferry("preview", SHOPS, "--limit", "0");
        assertThat(zero.rc()).isEqualTo(FerryMain.USAGE_OR_CONFIGURATION);
        assertThat(zero.err()).contains("ferry preview: --limit must be at least 1, got 0");
        assertThat(ferry("preview", SHOPS, "--limit", "-3").err()).contains("--limit must be at least 1, got -3");
        Printed window = ferry("preview", "jst-orders-to-mysql", "--window", "yesterday/P1D");
        assertThat(window.rc()).isEqualTo(FerryMain.USAGE_OR_CONFIGURATION);
        assertThat(window.err()).contains("--window's START must be an ISO-8601 time with its offset", "got 'yesterday'");
        assertThat(ferry("preview", "jst-orders-to-mysql", "--window", "2026-11-01T00:00+08:00/P1X").err())
                .contains("--window's DURATION must be an ISO-8601 duration such as P1D or PT6H, got 'P1X'");
        assertThat(ferry("preview", "jst-orders-to-mysql", "--window", "2026-11-01T00:00+08:00").err())
                .contains("--window must be START/END or START/DURATION");
        assertThat(ferry("preview", "jst-orders-to-mysql", "--window", "2026-11-02T00:00+08:00/2026-11-01T00:00+08:00").err())
                .contains("is not after its start");

        try (FerryHarness f = new FerryHarness(Db.MARIADB, 10).start()) {
            assertThatThrownBy(() -> preview(f, "no-such-sync", 5, null)).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("no-such-sync is no sync of the route files (they declare ").hasMessageContaining(SHOPS);
            assertThatThrownBy(() -> preview(f, SHOPS, 5, "2026-11-01T00:00+08:00/P1D")).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining(SHOPS + " is not read by time window");
        }
    }

    /** As a user runs it, in a JVM of its own with application.properties and no vendor settings, on an empty database. */
    @Test
    void onTheCommandLineAnUnknownOrUnconfiguredSyncExitsWithTwoAndTheDatabaseStaysEmpty() throws Exception {
        String url = io.ferry.support.TestDatabases.newMysqlDatabase();
        try {
            io.ferry.support.ChildFerry child = new io.ferry.support.ChildFerry().env("FERRY_STATE_URL", url)
                    .env("FERRY_STATE_USERNAME", io.ferry.support.TestDatabases.MYSQL_USER)
                    .env("FERRY_STATE_PASSWORD", io.ferry.support.TestDatabases.MYSQL_PASSWORD);
            io.ferry.support.ChildFerry.Result unconfigured = child.run(120, "preview", SHOPS);
            assertThat(unconfigured.rc()).as(unconfigured.err()).isEqualTo(FerryMain.USAGE_OR_CONFIGURATION);
            assertThat(unconfigured.err()).contains("ferry preview: " + SHOPS + " is not configured")
                    .contains("(FERRY_JUSHUITAN_APP_KEY)").contains("(FERRY_JUSHUITAN_APP_SECRET)");
            assertThat(unconfigured.out()).isEmpty();
            io.ferry.support.ChildFerry.Result unknown = child.run(120, "preview", "no-such-sync");
            assertThat(unknown.rc()).isEqualTo(FerryMain.USAGE_OR_CONFIGURATION);
            assertThat(unknown.err()).contains("ferry preview: no-such-sync is no sync of the route files");
            try (HikariDataSource ds = io.ferry.state.Databases.pool("ferry-test", url, io.ferry.support.TestDatabases.MYSQL_USER,
                    io.ferry.support.TestDatabases.MYSQL_PASSWORD, 1)) {
                assertThat(TableDump.all(ds)).isEmpty();
            }
        } finally {
            io.ferry.support.TestDatabases.dropMysqlDatabase(url);
        }
    }

    @Test
    void aSyncThatIsNotConfiguredNamesWhatItLacks() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 10).without("camel.component.jushuitan.app-secret")) {
            assertThatThrownBy(() -> preview(f, SHOPS, 5, null)).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining(SHOPS + " is not configured")
                    .hasMessageContaining("camel.component.jushuitan.app-secret (FERRY_JUSHUITAN_APP_SECRET)");
        }
    }
}
