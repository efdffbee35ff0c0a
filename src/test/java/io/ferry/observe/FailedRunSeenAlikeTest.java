package io.ferry.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.ferry.cli.StatusCommand;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * A run stopped by its error limit is failed wherever an operator looks — health, the alert, the console and
 * {@code ferry status} — and each says why in the same words, the run's message.
 */
class FailedRunSeenAlikeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SYNC = "jellyfish-test-mapping";
    private static final String DIR = "src/test/resources/routes-errorlimit/";

    @Test
    void healthTheAlertTheConsoleAndStatusAllSayFailedWithTheRunsMessage() throws Exception {
        BlockingQueue<JsonNode> alerts = new LinkedBlockingQueue<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", ex -> {
            alerts.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        // a file database with AUTO_SERVER, as by default, so that `ferry status` reads it while Ferry runs
        String url = "jdbc:h2:file:./target/seen-alike-" + UUID.randomUUID().toString().substring(0, 8)
                + "/ferry;MODE=MySQL;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE";
        try (FerryHarness f = new FerryHarness(Db.H2, 120).withUser("watcher", "viewer", "watcher-pass-1").with("ferry.state.url", url)
                .withRoutes("file:routes/ferry-sync.yaml,file:routes/ferry-templates.yaml,file:" + DIR + "jellyfish-test-mapping.yaml")
                .with("ferry.test.mapping", DIR + "jellyfish-amount-of-customer.jsonata")
                .with("ferry.alerts.webhook.url", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook").start()) {

            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("failed");
            String message = run.error();
            assertThat(message).startsWith("error limit passed:");

            // health: the sync's check is DOWN with the message
            String management = "http://127.0.0.1:" + f.app().camel().getPropertiesComponent().resolveProperty("ferry.management.port").orElseThrow();
            HttpResponse<String> health = get(management + "/observe/health");
            assertThat(health.statusCode()).isEqualTo(503);
            JsonNode check = check(JSON.readTree(health.body()), "sync:" + SYNC);
            assertThat(check.path("status").asText()).isEqualTo("DOWN");
            assertThat(check.path("message").asText()).isEqualTo("last run " + run.id() + " failed: " + message);

            // the alert
            JsonNode alert = alertOfKind(alerts, "run-failed");
            assertThat(alert.path("sync").asText()).isEqualTo(SYNC);
            assertThat(alert.path("message").asText()).isEqualTo("run " + run.id() + " failed: " + message);

            // the console's syncs page (what its script shows, from the API): failed, with the message
            JsonNode row = io.ferry.support.ConsoleLogin.logIn(f, "watcher", "watcher-pass-1").get("/api/v1/syncs/" + SYNC).json();
            assertThat(row.path("state").asText()).isEqualTo("failed");
            assertThat(row.path("lastError").asText()).isEqualTo(message);
            assertThat(row.path("lastRun").path("id").asLong()).isEqualTo(run.id());

            // ferry status
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Map<String, String> props = new java.util.HashMap<>(f.sandbox().properties());
            props.putAll(Map.of("ferry.state.url", url, "ferry.state.username", "sa", "ferry.state.password", ""));
            int rc = StatusCommand.status(List.of(SYNC), new PrintStream(out, true, StandardCharsets.UTF_8), props);
            String status = out.toString(StandardCharsets.UTF_8);
            assertThat(rc).isEqualTo(1);
            assertThat(status.lines().filter(l -> l.startsWith(SYNC)).findFirst().orElseThrow().split("\\s+")).contains("failed");
            assertThat(status.lines().map(String::strip)).contains(message);
        } finally {
            hook.stop(0);
        }
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode c : health.path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no health check " + name + " in " + health);
    }

    private static JsonNode alertOfKind(BlockingQueue<JsonNode> alerts, String kind) throws InterruptedException {
        List<JsonNode> seen = new ArrayList<>();
        for (JsonNode a; (a = alerts.poll(10, TimeUnit.SECONDS)) != null;) {
            if (kind.equals(a.path("kind").asText())) {
                return a;
            }
            seen.add(a);
        }
        throw new AssertionError("no " + kind + " alert; got " + seen);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
