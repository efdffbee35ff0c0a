package io.ferry.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Wangdiantong simulator's limits as a client meets them over HTTP: calls in flight, per second, per minute. */
class WangdiantongLimitsTest {

    private static final String SECRET = "s3cret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final WangdiantongSimulator sim = new WangdiantongSimulator("sid1", "key1", SECRET + ":salt1", "qm", "qm-secret",
            "target", 500);
    private final HttpClient http = HttpClient.newHttpClient();

    WangdiantongLimitsTest() {
        sim.start();
    }

    @AfterEach
    void close() {
        sim.close();
    }

    /** One signed shop page on the direct API, sent now. */
    private CompletableFuture<JsonNode> page(int pageNo) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("sid", "sid1");
        q.put("key", "key1");
        q.put("salt", "salt1");
        q.put("method", "setting.Shop.queryShop");
        q.put("v", "1.0");
        q.put("timestamp", String.valueOf(System.currentTimeMillis() / 1000 - WangdiantongSimulator.EPOCH_2012));
        q.put("page_size", "50");
        q.put("page_no", String.valueOf(pageNo));
        String body = "[{}]";
        q.put("sign", WangdiantongSignature.direct(SECRET, q, body));
        String query = q.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.url() + WangdiantongSimulator.DIRECT_PATH + "?" + query))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            try {
                return JSON.readTree(r.body());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static int status(JsonNode answer) {
        return answer.get("status").asInt();
    }

    private void awaitInFlight(int n) throws InterruptedException {
        for (int i = 0; i < 500 && sim.mostInFlight() < n; i++) {
            Thread.sleep(10);
        }
        assertThat(sim.mostInFlight()).isEqualTo(n);
    }

    @Test
    void theSixthCallInFlightIsRefusedWithTheConcurrencyMessageAndHoldsNoPlace() throws Exception {
        sim.answerLatency(Duration.ofMillis(800));
        List<CompletableFuture<JsonNode>> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(page(i));
        }
        awaitInFlight(5);
        JsonNode sixth = page(5).get();
        assertThat(status(sixth)).isEqualTo(100);
        assertThat(sixth.get("message").asText()).isEqualTo(WangdiantongSimulator.CONCURRENCY_LIMIT_MESSAGE);
        for (CompletableFuture<JsonNode> f : held) {
            assertThat(status(f.get())).isZero();
        }
        assertThat(sim.concurrencyLimitAnswers()).isEqualTo(1);
        assertThat(sim.rateLimitAnswers()).isEqualTo(1);
        // the five answered have left; the refused one never held a place
        sim.answerLatency(Duration.ZERO);
        assertThat(status(page(5).get())).isZero();
        assertThat(sim.mostInFlight()).isEqualTo(5);
    }

    @Test
    void theConcurrencyLimitIsSettableAndOffWithTheOtherLimits() throws Exception {
        sim.concurrencyLimit(2).answerLatency(Duration.ofMillis(800));
        List<CompletableFuture<JsonNode>> held = List.of(page(0), page(1));
        awaitInFlight(2);
        assertThat(page(2).get().get("message").asText()).isEqualTo(WangdiantongSimulator.CONCURRENCY_LIMIT_MESSAGE);
        for (CompletableFuture<JsonNode> f : held) {
            assertThat(status(f.get())).isZero();
        }
        sim.rateLimit(false);
        List<CompletableFuture<JsonNode>> many = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            many.add(page(i));
        }
        for (CompletableFuture<JsonNode> f : many) {
            assertThat(status(f.get())).as("no limit while the limits are off").isZero();
        }
        assertThat(sim.mostInFlight()).isEqualTo(4);
    }

    @Test
    void aPerSecondLimitRefusesTheCallPastItAndLetsInTheOneAfterTheSecond() throws Exception {
        sim.rateLimitPerSecond(5);
        long first = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            assertThat(status(page(i).get())).isZero();
        }
        JsonNode sixth = page(5).get();
        // unless the machine took a second for five local calls, the sixth is within the first call's second
        if (System.nanoTime() - first < 900_000_000L) {
            assertThat(status(sixth)).isEqualTo(100);
            assertThat(sixth.get("message").asText()).isEqualTo(WangdiantongSimulator.RATE_LIMIT_MESSAGE);
            assertThat(sim.concurrencyLimitAnswers()).isZero();
        }
        Thread.sleep(1100);
        assertThat(status(page(5).get())).as("the first five have left the window; the refusal was not counted").isZero();
    }

    @Test
    void thePerMinuteLimitRefusesEveryCallPastItsCount() throws Exception {
        sim.rateLimit(3);
        for (int i = 0; i < 3; i++) {
            assertThat(status(page(i).get())).isZero();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(page(3).get().get("message").asText()).isEqualTo(WangdiantongSimulator.RATE_LIMIT_MESSAGE);
        }
        assertThat(sim.rateLimitAnswers()).isEqualTo(3);
        assertThat(sim.pagesAsked()).hasSize(3);
    }
}
