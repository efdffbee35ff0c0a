package io.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;
import io.ferry.support.TcpProxy;
import io.ferry.support.TestDatabases;

/**
 * The state database (here also the BI target) goes away during a run, behind a proxy that drops every connection
 * and refuses new ones. An outage the retries outlast is ridden through; a longer one ends the run as failed with
 * one line and no stack trace, and its row is closed with that line when the database returns, by the process
 * still running. Either way the next run is exact.
 */
class StateDatabaseLongOutageTest {

    private static final String SYNC = "jst-shops-to-mysql";
    private static final int SHOPS = 3000;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureLog() {
        log.start();
        root.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        root.detachAppender(log);
    }

    @Test
    void anOutageShorterThanTheRetriesIsRiddenThrough() throws Exception {
        // each call: 4 retries, 0.5 s then 1 s then 2 s apart, plus a connection wait of 1 s per attempt (> 8 s in all)
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 3306); FerryHarness f = harness(proxy)) {
            CompletableFuture<RunRecord> run = CompletableFuture.supplyAsync(() -> f.runSync(SYNC));
            awaitWritten(f, 600);
            proxy.cut();
            Thread.sleep(3_000);
            proxy.restore();
            RunRecord done = run.get(3, TimeUnit.MINUTES);
            assertThat(done.status()).as(done.error()).isEqualTo("succeeded");
            assertThat(count("SELECT COUNT(*) FROM bi_shop", f)).isEqualTo(SHOPS);
            assertThat(count("SELECT COUNT(*) FROM ferry_synced_key", f)).isEqualTo(SHOPS);
            assertNoStackTrace();
        }
    }

    @Test
    void anOutageLongerThanTheRetriesFailsTheRunInOneLineAndItsRowIsClosedWhenTheDatabaseReturns() throws Exception {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 3306); FerryHarness f = harness(proxy)) {
            CompletableFuture<RunRecord> run = CompletableFuture.supplyAsync(() -> f.runSync(SYNC));
            awaitWritten(f, 600);
            proxy.cut();
            // the run gives up while the database is away: it says so from memory, in one line
            RunRecord failed = run.get(2, TimeUnit.MINUTES);
            assertThat(failed.status()).isEqualTo("failed");
            // the failing call's own words, not the split's wrapper around them
            assertThat(failed.error()).doesNotContain("\n").doesNotContain("Multicast processing failed")
                    .containsAnyOf("JDBC Connection", "Connection is not available");
            assertThat(direct(f, "SELECT status FROM ferry_run WHERE id = " + failed.id())).isEqualTo("running");
            Thread.sleep(5_000);
            proxy.restore();

            // the process still runs: the row is closed with the run's status and reason once the database answers
            long deadline = System.currentTimeMillis() + 60_000;
            while (!"failed".equals(direct(f, "SELECT status FROM ferry_run WHERE id = " + failed.id()))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertThat(direct(f, "SELECT status FROM ferry_run WHERE id = " + failed.id())).isEqualTo("failed");
            assertThat(direct(f, "SELECT error_message FROM ferry_run WHERE id = " + failed.id())).isEqualTo(failed.error());
            assertThat(f.state().runCloser().pending()).isZero();
            assertNoStackTrace();

            RunRecord next = f.runSync(SYNC);
            assertThat(next.status()).as(next.error()).isEqualTo("succeeded");
            assertThat(count("SELECT COUNT(*) FROM bi_shop", f)).isEqualTo(SHOPS);
            assertThat(count("SELECT COUNT(*) FROM ferry_synced_key", f)).isEqualTo(SHOPS);
            assertThat(count("SELECT COUNT(*) FROM ferry_run WHERE status = 'running'", f)).isZero();
        }
    }

    private static FerryHarness harness(TcpProxy proxy) throws Exception {
        FerryHarness f = new FerryHarness(Db.MARIADB, SHOPS);
        f.with("ferry.state.url", f.stateUrl().replace("127.0.0.1:3306", "127.0.0.1:" + proxy.port()))
                .with("ferry.state.connection-timeout", "1000")
                .with("ferry.retry.max-redeliveries", "4")
                .with("ferry.retry.initial-delay", "500")
                .with("ferry.retry.max-delay", "2000")
                .with("camel.component.jushuitan.requests-per-second", "10")
                .start();
        f.sandbox().jushuitan().rateLimit(false);
        return f;
    }

    private void assertNoStackTrace() {
        List<String> traces = log.list.stream().filter(e -> e.getThrowableProxy() != null)
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage() + " / " + e.getThrowableProxy().getClassName()).toList();
        assertThat(traces).as("log events with a stack trace").isEmpty();
    }

    private static void awaitWritten(FerryHarness f, long rows) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (Long.parseLong(direct(f, "SELECT COUNT(*) FROM bi_shop")) < rows && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    private static long count(String sql, FerryHarness f) throws Exception {
        return Long.parseLong(direct(f, sql));
    }

    /** Read past the proxy, straight from MariaDB. */
    private static String direct(FerryHarness f, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(f.stateUrl(), TestDatabases.MYSQL_USER, TestDatabases.MYSQL_PASSWORD);
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
