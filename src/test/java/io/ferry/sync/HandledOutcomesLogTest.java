package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ferry.sandbox.JushuitanSimulator;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;
import io.ferry.support.LogCapture;

/**
 * An outcome Ferry handles is one line in the log: a row the target rejects (dead-lettered), a run that fails.
 * Not Camel's "Failed delivery … Exhausted after delivery attempt" with a stack trace and the message history.
 */
class HandledOutcomesLogTest {

    private static final String SYNC = "jst-shops-to-mysql";

    @Test
    void aRowTheTargetRejectsIsOneWarningWithoutATrace() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 50).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            Map<String, Object> tooLong = JushuitanSimulator.shop(7);
            tooLong.put("shop_name", "长".repeat(300)); // bi_shop.shop_name is VARCHAR(200)
            f.sandbox().jushuitan().overrideShop(7, tooLong);
            RunRecord run;
            List<String> logged;
            try (LogCapture log = new LogCapture()) {
                run = f.runSync(SYNC);
                logged = log.warningsAndErrors();
            }
            assertThat(run.failed()).isEqualTo(1);
            assertThat(logged).singleElement().satisfies(line -> assertThat(line).startsWith("WARN")
                    .contains("the target rejected 10000007").containsIgnoringCase("too long"));
        }
    }

    @Test
    void aFailedRunIsOneErrorLineWithoutATrace() throws Exception {
        // a signature Jushuitan refuses: not retried (an answer that may pass is a WARN line per attempt, below)
        try (FerryHarness f = new FerryHarness(Db.H2, 30).with("camel.component.jushuitan.app-secret", "not-the-secret").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            RunRecord run;
            List<String> logged;
            try (LogCapture log = new LogCapture()) {
                run = f.runSync(SYNC);
                logged = log.warningsAndErrors();
            }
            assertThat(run.status()).isEqualTo("failed");
            assertThat(logged).singleElement().satisfies(line -> assertThat(line).startsWith("ERROR")
                    .contains("io.ferry.pipeline.RunCompletion").contains("run " + run.id() + " failed"));
        }
    }

    @Test
    void aRunThatFailsAfterItsRetriesIsOneErrorLineAfterOneLinePerRetry() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 30).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            f.sandbox().jushuitan().overridePage(1, 500, "text/plain", "maintenance");
            RunRecord run;
            List<String> logged;
            try (LogCapture log = new LogCapture()) {
                run = f.runSync(SYNC);
                logged = log.warningsAndErrors();
            }
            assertThat(run.status()).isEqualTo("failed");
            assertThat(logged).noneMatch(l -> l.startsWith("\tat ") || l.contains("Exhausted"));
            assertThat(logged.stream().filter(l -> l.startsWith("ERROR"))).singleElement()
                    .satisfies(line -> assertThat(line).contains("io.ferry.pipeline.RunCompletion").contains("HTTP 500"));
            // one WARN line per failed attempt: the first and ferry.retry.max-redeliveries (2 in the harness) retries
            assertThat(logged.stream().filter(l -> l.startsWith("WARN"))).hasSize(3).allMatch(l -> l.contains("On delivery attempt"));
        }
    }

    @Test
    void aScheduledRunThatFailsIsOneErrorLineToo() throws Exception {
        try (LogCapture log = new LogCapture();
                FerryHarness f = new FerryHarness(Db.H2, 30).with("ferry.schedules.enabled", "true")
                        .with("ferry.sync.jst-shops-to-mysql.cron", "0/1 * * * * ?")
                        .with("ferry.sync.jellyfish-a-to-b.cron", "0 0 0 1 1 ? 2099")
                        .with("ferry.sync.wdt-shops-to-kingdee-customers.cron", "0 0 0 1 1 ? 2099")
                        .with("ferry.sync.jsonapi-orders-to-mysql.cron", "0 0 0 1 1 ? 2099")
                        .with("ferry.sync.jst-orders-to-mysql.cron", "0 0 0 1 1 ? 2099")
                        .with("ferry.sync.wdt-trades-to-mysql.cron", "0 0 0 1 1 ? 2099")
                        .with("ferry.sync.kingdee-customers-to-mysql.cron", "0 0 0 1 1 ? 2099")) {
            f.with("camel.component.jushuitan.app-secret", "not-the-secret").start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (f.count("SELECT COUNT(*) FROM ferry_run WHERE status = 'failed'") == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            f.app().camel().getRouteController().stopRoute("jst-shops-to-mysql-schedule");
            long failed = f.count("SELECT COUNT(*) FROM ferry_run WHERE status = 'failed'");
            assertThat(failed).isPositive();
            // a trigger that fires while the run before it is still going says so; the rest is about the failed runs
            // (the run's row is closed just before its line is logged: wait a moment for the last one)
            List<String> logged = List.of();
            for (long until = System.currentTimeMillis() + 5_000; System.currentTimeMillis() < until; Thread.sleep(100)) {
                logged = log.warningsAndErrors().stream()
                        .filter(l -> !l.contains("console without a login") && !l.contains("this trigger is skipped")).toList();
                if (logged.size() >= failed) {
                    break;
                }
            }
            assertThat(logged).hasSize((int) failed).allSatisfy(line -> assertThat(line).startsWith("ERROR")
                    .contains("io.ferry.pipeline.RunCompletion").contains("failed"));
        }
    }
}
