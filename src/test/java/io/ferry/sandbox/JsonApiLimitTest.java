package io.ferry.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

/** The JSON API simulator's settable limit: calls per second, sliding, answered HTTP 429 with Retry-After. */
class JsonApiLimitTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> page(JsonApiSimulator sim) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.url() + JsonApiSimulator.BY_CURSOR + "?limit=10"))
                .header("Authorization", "Bearer t0ken").GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void noLimitUnlessOneIsSet() throws Exception {
        try (JsonApiSimulator sim = new JsonApiSimulator("t0ken", 100)) {
            sim.start();
            for (int i = 0; i < 40; i++) {
                assertThat(page(sim).statusCode()).isEqualTo(200);
            }
            assertThat(sim.tooManyRequestsAnswers()).isZero();
        }
    }

    @Test
    void theCallPastTheLimitIsAnswered429WithRetryAfterAndNotCounted() throws Exception {
        try (JsonApiSimulator sim = new JsonApiSimulator("t0ken", 100).rateLimit(10)) {
            sim.start();
            long first = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                assertThat(page(sim).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> eleventh = page(sim);
            // unless ten local calls took the machine a second, the eleventh is within the first call's second
            if (System.nanoTime() - first < 900_000_000L) {
                assertThat(eleventh.statusCode()).isEqualTo(429);
                assertThat(eleventh.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(sim.tooManyRequestsAnswers()).isEqualTo(1);
            }
            Thread.sleep(1100);
            // the ten counted calls have left the window; the refused one was never in it
            for (int i = 0; i < 10; i++) {
                assertThat(page(sim).statusCode()).isEqualTo(200);
            }
        }
    }
}
