package io.ferry.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.cli.StatusCommand;
import io.ferry.state.DeadLetterRepository.DeadLetter;
import io.ferry.sandbox.JushuitanSimulator;
import io.ferry.state.RunRepository;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * A replay is a run of its own kind: it succeeds only when it delivered every dead letter it tried, and it never
 * takes the place of the sync's last run in {@code ferry status}, health or the console.
 */
class ReplayBesideTheRunTest {

    private static final String SYNC = "jst-shops-to-mysql";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aReplayAfterAFailedRunIsShownBesideItAndSaysWhatItDelivered() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 300).withUser("watcher", "viewer", "watcher-pass-1").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            // shop 4 is refused by the BI table (its name is too long); page 2 is down: the run fails
            Map<String, Object> tooLong = JushuitanSimulator.shop(4);
            tooLong.put("shop_name", "长".repeat(300));
            f.sandbox().jushuitan().overrideShop(4, tooLong);
            f.sandbox().jushuitan().overridePage(2, 500, "text/plain", "maintenance");
            RunRecord failed = f.runSync(SYNC);
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(failed.kind()).isEqualTo(RunRepository.SYNC);
            DeadLetter refused = f.state().deadLetters().open(SYNC).get(0);

            // the replay tries the refused shop again, which is refused again: the replay failed, and says why
            assertThat(f.app().deadLetters().replay(SYNC)).isZero();
            RunRecord replay = f.state().runs().recent(SYNC, 1).get(0);
            assertThat(replay.kind()).isEqualTo(RunRepository.REPLAY);
            assertThat(replay.status()).isEqualTo("failed");
            assertThat(replay.error()).startsWith("replay delivered 0 of 1 dead letter(s); 1 still open")
                    .contains("dead letter " + refused.id());

            // status: judged by the failed sync run (exit 1), the replay beside it
            Status status = status(f);
            assertThat(status.rc()).isEqualTo(1);
            assertThat(status.line(SYNC).split("\\s+")).containsSequence(String.valueOf(failed.id()), "failed");
            assertThat(status.text()).contains("last replay " + replay.id() + " failed: replay delivered 0 of 1");

            // health: DOWN for the sync run, the replay a detail
            JsonNode check = syncCheck(f);
            assertThat(check.path("status").asText()).isEqualTo("DOWN");
            assertThat(check.path("message").asText()).startsWith("last run " + failed.id() + " failed:");
            assertThat(check.path("data").path("last.replay.status").asText()).isEqualTo("failed");

            // the console (what its script shows, from the API): the sync run's status, the replay apart
            JsonNode row = consoleRow(f);
            assertThat(row.path("lastRun").path("id").asLong()).isEqualTo(failed.id());
            assertThat(row.path("state").asText()).isEqualTo("failed");
            assertThat(row.path("lastReplay").path("id").asLong()).isEqualTo(replay.id());
            assertThat(row.path("lastReplay").path("status").asText()).isEqualTo("failed");
            assertThat(row.path("lastReplay").path("error").asText()).startsWith("replay delivered 0 of 1");

            // the shop is fixed at the source and the page is back; its dead letter is replayed and delivered
            f.sandbox().jushuitan().clearPageOverrides();
            f.sandbox().jushuitan().clearShopOverrides();
            exec(f, "ALTER TABLE bi_shop MODIFY shop_name VARCHAR(400)");
            assertThat(f.app().deadLetters().replay(SYNC)).isEqualTo(1);
            RunRecord delivered = f.state().runs().recent(SYNC, 1).get(0);
            assertThat(delivered.kind()).isEqualTo(RunRepository.REPLAY);
            assertThat(delivered.status()).isEqualTo("succeeded");
            assertThat(delivered.error()).isEqualTo("replay delivered 1 dead letter(s)");
            // the sync is still judged by its failed run
            assertThat(status(f).rc()).isEqualTo(1);
            // and the replay's success is no sync success for the metrics
            assertThat(metric(f, "ferry_last_success_timestamp_seconds{sync=\"" + SYNC + "\"}")).isEqualTo("NaN");

            // nothing left to replay: no run is written at all
            long runs = f.count("SELECT COUNT(*) FROM ferry_run");
            assertThat(f.app().deadLetters().replay(SYNC)).isZero();
            assertThat(f.count("SELECT COUNT(*) FROM ferry_run")).isEqualTo(runs);

            // a sync run that succeeds is what turns the sync good again
            assertThat(f.runSync(SYNC).status()).isEqualTo("succeeded");
            assertThat(status(f).rc()).isZero();
            assertThat(syncCheck(f).path("status").asText()).isEqualTo("UP");
            assertThat(metric(f, "ferry_last_success_timestamp_seconds{sync=\"" + SYNC + "\"}")).isNotEqualTo("NaN");
        }
    }

    record Status(int rc, String text) {
        String line(String sync) {
            return text.lines().filter(l -> l.startsWith(sync)).findFirst().orElseThrow();
        }
    }

    private static Status status(FerryHarness f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String url = f.app().camel().getPropertiesComponent().resolveProperty("ferry.state.url").orElseThrow();
        // the configuration the running Ferry has (status checks every sync's settings as Ferry does)
        Map<String, String> props = new java.util.HashMap<>(f.sandbox().properties());
        props.putAll(Map.of("ferry.state.url", url, "ferry.state.username", "sa", "ferry.state.password", ""));
        int rc = StatusCommand.status(List.of(SYNC), new PrintStream(out, true, StandardCharsets.UTF_8), props);
        return new Status(rc, out.toString(StandardCharsets.UTF_8));
    }

    private static String metric(FerryHarness f, String series) throws Exception {
        String port = f.app().camel().getPropertiesComponent().resolveProperty("ferry.management.port").orElseThrow();
        // metrics are behind a login once a user is configured
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics")).header("Authorization",
                "Basic " + java.util.Base64.getEncoder().encodeToString("watcher:watcher-pass-1".getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString()).body().lines().filter(l -> l.startsWith(series + " "))
                .map(l -> l.substring(series.length() + 1).strip()).findFirst().orElseThrow(() -> new AssertionError("no " + series));
    }

    private static JsonNode syncCheck(FerryHarness f) throws Exception {
        String port = f.app().camel().getPropertiesComponent().resolveProperty("ferry.management.port").orElseThrow();
        JsonNode health = JSON.readTree(get("http://127.0.0.1:" + port + "/observe/health").body());
        for (JsonNode c : health.path("checks")) {
            if (("sync:" + SYNC).equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no health check for " + SYNC + " in " + health);
    }

    private static JsonNode consoleRow(FerryHarness f) throws Exception {
        return io.ferry.support.ConsoleLogin.logIn(f, "watcher", "watcher-pass-1").get("/api/v1/syncs/" + SYNC).json();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void exec(FerryHarness f, String sql) throws Exception {
        try (java.sql.Connection c = f.dataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
