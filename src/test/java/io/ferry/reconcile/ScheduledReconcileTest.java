package io.ferry.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import io.ferry.observe.Observability;
import io.ferry.state.RunRepository;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * {@code ferry.sync.<sync>.reconcile.cron} inside a running Ferry: its own route reconciles on the schedule, each
 * reconcile a run of kind 'reconcile' with its findings, the metrics ferry_reconcile_differences and
 * ferry_reconcile_runs_total, an alert when it finds differences, and with {@code .reconcile.repair=true} the records
 * re-queued for the next run.
 */
class ScheduledReconcileTest {

    private static final String SYNC = "jst-shops-to-mysql";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A webhook at /hook that keeps each alert it is sent, answering 200. */
    private static HttpServer alertReceiver(BlockingQueue<Map<String, Object>> alerts) throws java.io.IOException {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = JSON.readValue(ex.getRequestBody().readAllBytes(), Map.class);
            alerts.add(body);
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        return receiver;
    }

    @Test
    void reconcilesOnItsScheduleRecordsAlertsAndRepairs() throws Exception {
        BlockingQueue<Map<String, Object>> alerts = new LinkedBlockingQueue<>();
        HttpServer receiver = alertReceiver(alerts);
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 40)) {
            f.with("ferry.sync." + SYNC + ".reconcile.cron", "0/2 * * * * ?").with("ferry.sync." + SYNC + ".reconcile.repair", "true")
                    .with("ferry.alerts.webhook.url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook").start();
            f.sandbox().jushuitan().rateLimit(false);
            assertThat(f.runSync(SYNC).written()).isEqualTo(40);
            f.sql().update("DELETE FROM bi_shop WHERE shop_id IN (10000001, 10000002)");

            // schedules are off in tests: the reconcile's own route is started as ferry.schedules.enabled would
            f.app().camel().getRouteController().startRoute(SYNC + "-reconcile");
            long deadline = System.currentTimeMillis() + 30_000;
            RunRecord r = null;
            while ((r == null || "running".equals(r.status())) && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
                r = f.state().runs().last(SYNC, RunRepository.RECONCILE);
            }
            f.app().camel().getRouteController().stopRoute(SYNC + "-reconcile");
            RunRecord reconcile = f.state().runs().find(f.count("SELECT MIN(id) FROM ferry_run WHERE kind = 'reconcile'"));
            assertThat(reconcile.status()).isEqualTo("differs");
            assertThat(reconcile.read()).isEqualTo(40);
            assertThat(reconcile.error()).contains("2 missing (2 delivered").contains("repair re-queued 2 record(s)");
            assertThat(f.count("SELECT record_count FROM ferry_reconcile_finding WHERE run_id = ? AND kind = 'missing-delivered'",
                    reconcile.id())).isEqualTo(2);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_reconcile_queue WHERE sync_name = ?", SYNC)).isEqualTo(2);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_state_edit WHERE actor = 'schedule' AND action = 'reconcile-repair'"))
                    .isGreaterThanOrEqualTo(1);

            String metrics = f.app().camel().getRegistry().lookupByNameAndType(Observability.METRICS_BEAN, PrometheusMeterRegistry.class)
                    .scrape();
            assertThat(metrics).contains("ferry_reconcile_differences{kind=\"missing\",sync=\"" + SYNC + "\"} 2.0")
                    .contains("ferry_reconcile_differences{kind=\"extra\",sync=\"" + SYNC + "\"} 0.0")
                    .containsPattern("ferry_reconcile_runs_total\\{result=\"differences\",sync=\"" + SYNC + "\"} [1-9]");

            Map<String, Object> alert = alerts.poll(10, TimeUnit.SECONDS);
            assertThat(alert).as("an alert for the differences").isNotNull();
            assertThat(alert).containsEntry("kind", "reconcile-differences").containsEntry("sync", SYNC);
            assertThat((String) alert.get("message")).contains("2 missing");

            // ferry status shows the last reconcile under the sync's last run
            java.io.ByteArrayOutputStream status = new java.io.ByteArrayOutputStream();
            io.ferry.cli.StatusCommand.status(java.util.List.of(SYNC), new java.io.PrintStream(status, true, StandardCharsets.UTF_8),
                    f.properties());
            RunRecord last = f.state().runs().last(SYNC, RunRepository.RECONCILE);
            assertThat(status.toString(StandardCharsets.UTF_8)).contains("last reconcile: run " + last.id() + " differs, ")
                    .contains("2 missing (2 delivered");

            // the next run writes the two first
            RunRecord next = f.runSync(SYNC);
            assertThat(next.written()).isEqualTo(2);
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(40);
        } finally {
            receiver.stop(0);
        }
    }

    /** A scheduled reconcile that cannot be made (B's receive API cannot be read back) is a failed reconcile, alerted. */
    @Test
    void aScheduledReconcileThatCannotBeMadeIsRecordedAsFailedAndAlerted() throws Exception {
        BlockingQueue<Map<String, Object>> alerts = new LinkedBlockingQueue<>();
        HttpServer receiver = alertReceiver(alerts);
        String jellyfish = "jellyfish-a-to-b";
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 5)) {
            f.with("ferry.sync." + jellyfish + ".reconcile.cron", "0/2 * * * * ?")
                    .with("ferry.alerts.webhook.url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook").start();
            f.app().camel().getRouteController().startRoute(jellyfish + "-reconcile");
            Map<String, Object> alert = alerts.poll(20, TimeUnit.SECONDS);
            f.app().camel().getRouteController().stopRoute(jellyfish + "-reconcile");
            assertThat(alert).as("an alert for the failed reconcile").isNotNull();
            assertThat(alert).containsEntry("kind", "reconcile-failed").containsEntry("sync", jellyfish);
            assertThat((String) alert.get("message")).contains("declares no reconcileTarget");
            RunRecord r = f.state().runs().last(jellyfish, RunRepository.RECONCILE);
            assertThat(r.status()).isEqualTo("failed");
            assertThat(r.error()).contains("declares no reconcileTarget");
            String metrics = f.app().camel().getRegistry().lookupByNameAndType(Observability.METRICS_BEAN, PrometheusMeterRegistry.class)
                    .scrape();
            assertThat(metrics).containsPattern("ferry_reconcile_runs_total\\{result=\"failed\",sync=\"" + jellyfish + "\"} [1-9]");
        } finally {
            receiver.stop(0);
        }
    }
}
