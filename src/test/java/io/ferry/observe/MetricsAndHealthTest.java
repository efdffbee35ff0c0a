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
                    // Camel's own meters are still there
                    .contains("camel_exchanges_total");

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

    record Response(int status, String body) {
    }

    static Response get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }
}
