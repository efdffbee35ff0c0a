package io.ferry.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** Ferry's meters at /observe/metrics and its health checks at /observe/health, on the management server. */
class MetricsAndHealthTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void runsShowInMetricsAndAFailedRunTurnsTheSyncDown() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 250).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            String base = "http://127.0.0.1:" + f.app().camel().getPropertiesComponent().resolveProperty("ferry.management.port").orElseThrow();

            Response health = get(base + "/observe/health");
            assertThat(health.body()).contains("state-database").contains("sync:jst-shops-to-mysql").contains("context");
            assertThat(health.status()).isEqualTo(200);

            assertThat(get(base + "/observe/metrics").body())
                    .containsPattern("ferry_records_total\\{outcome=\"written\",sync=\"jst-shops-to-mysql\"} 0\\.0");

            RunRecord run = f.runSync("jst-shops-to-mysql");
            assertThat(run.status()).isEqualTo("succeeded");
            String metrics = get(base + "/observe/metrics").body();
            assertThat(metrics)
                    .containsPattern("ferry_records_total\\{outcome=\"written\",sync=\"jst-shops-to-mysql\"} 250\\.0")
                    .containsPattern("ferry_records_total\\{outcome=\"read\",sync=\"jst-shops-to-mysql\"} 250\\.0")
                    .containsPattern("ferry_records_total\\{outcome=\"skipped\",sync=\"jst-shops-to-mysql\"} 0\\.0")
                    .containsPattern("ferry_run_seconds_count\\{status=\"succeeded\",sync=\"jst-shops-to-mysql\"} 1")
                    .containsPattern("ferry_api_call_seconds_count\\{endpoint=\"/open/shops/query\",system=\"jushuitan\"} 3")
                    .containsPattern("ferry_dead_letters_open\\{sync=\"jst-shops-to-mysql\"} 0\\.0")
                    .containsPattern("ferry_last_success_timestamp_seconds\\{sync=\"jst-shops-to-mysql\"} 1\\.\\d+E9")
                    // the app key's call budget: paced as configured, nothing refused
                    .containsPattern("ferry_vendor_pace\\{budget=\"jushuitan app [^\"]+\",limit=\"per_second\"} \\d+\\.0")
                    .containsPattern("ferry_vendor_refusals_total\\{budget=\"jushuitan app [^\"]+\"} 0\\.0")
                    // Camel's exchange counts per route, the JVM's and the process's meters
                    .containsPattern("camel_exchanges_total\\{routeId=\"jst-shops-to-mysql\"} 1\\.0")
                    .contains("jvm_memory_used_bytes").contains("jvm_gc_").contains("jvm_threads_live_threads")
                    .contains("process_cpu_usage").contains("process_uptime_seconds");

            // the vendor refuses the next page: the run fails, the sync's check goes DOWN
            f.sandbox().jushuitan().overridePage(1, 500, "text/plain", "down for maintenance");
            RunRecord failed = f.runSync("jst-shops-to-mysql");
            assertThat(failed.status()).isEqualTo("failed");
            health = get(base + "/observe/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body()).containsPattern("\"name\":\\s*\"sync:jst-shops-to-mysql\",\\s*\"status\":\\s*\"DOWN\"");
            assertThat(get(base + "/observe/metrics").body())
                    .containsPattern("ferry_run_seconds_count\\{status=\"failed\",sync=\"jst-shops-to-mysql\"} 1");

            f.sandbox().jushuitan().clearPageOverrides();
            assertThat(f.runSync("jst-shops-to-mysql").status()).isEqualTo("succeeded");
            health = get(base + "/observe/health");
            assertThat(health.status()).isEqualTo(200);
        }
    }

    @Test
    void recordCountersMoveWhileARunGoesOn() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 1500).start()) {
            // the vendor's limit of 5 calls a second spreads 15 pages over about three seconds
            String base = "http://127.0.0.1:" + f.app().camel().getPropertiesComponent().resolveProperty("ferry.management.port").orElseThrow();
            assertThat(get(base + "/observe/metrics").body())
                    .containsPattern("ferry_last_success_timestamp_seconds\\{sync=\"jst-shops-to-mysql\"} NaN");
            java.util.concurrent.CompletableFuture<RunRecord> run = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> f.runSync("jst-shops-to-mysql"));
            java.util.regex.Pattern read = java.util.regex.Pattern
                    .compile("ferry_records_total\\{outcome=\"read\",sync=\"jst-shops-to-mysql\"} (\\d+)\\.0");
            java.util.Set<Long> seenWhileRunning = new java.util.TreeSet<>();
            while (!run.isDone()) {
                java.util.regex.Matcher m = read.matcher(get(base + "/observe/metrics").body());
                assertThat(m.find()).isTrue();
                if (!run.isDone()) {
                    seenWhileRunning.add(Long.parseLong(m.group(1)));
                }
                Thread.sleep(100);
            }
            assertThat(run.get().status()).isEqualTo("succeeded");
            assertThat(seenWhileRunning).as("values of the counter while the run went on").anyMatch(v -> v > 0 && v < 1500);
            // the run's end adds nothing twice
            assertThat(get(base + "/observe/metrics").body())
                    .containsPattern("ferry_records_total\\{outcome=\"read\",sync=\"jst-shops-to-mysql\"} 1500\\.0");
        }
    }

    record Response(int status, String body) {
    }

    static Response get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }
}
