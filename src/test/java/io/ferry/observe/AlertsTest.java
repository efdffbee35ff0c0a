package io.ferry.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.ferry.sandbox.JushuitanSimulator;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** Alerts to a DingTalk robot (signed) and a generic webhook, received by a local HTTP server. */
class AlertsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SYNC = "jst-shops-to-mysql";
    private static final String DING_SECRET = "SECdingtalk-test-secret";

    record Received(String path, Map<String, String> query, Map<String, Object> body) {
    }

    private HttpServer receiver;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            Map<String, String> q = new HashMap<>();
            String raw = ex.getRequestURI().getRawQuery();
            if (raw != null) {
                for (String kv : raw.split("&")) {
                    int i = kv.indexOf('=');
                    q.put(kv.substring(0, i), URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> body = JSON.readValue(ex.getRequestBody().readAllBytes(), Map.class);
            received.add(new Received(ex.getRequestURI().getPath(), q, body));
            byte[] ok = "{\"errcode\":0,\"errmsg\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    @Test
    void credentialFailureDeadLettersAndFailedRunsAlertOncePerWindow() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 120)) {
            String token = f.sandbox().properties().get("camel.component.jushuitan.access-token");
            f.with("ferry.alerts.dingtalk.url", url("/robot/send?access_token=robot-token-1234"))
                    .with("ferry.alerts.dingtalk.secret", DING_SECRET)
                    .with("ferry.alerts.webhook.url", url("/hook"))
                    .with("ferry.alerts.window-seconds", "3600")
                    .with("camel.component.jushuitan.access-token", "not-the-right-token")
                    .start();
            f.sandbox().jushuitan().rateLimit(false);

            // 1. the vendor rejects the token: one alert to each sink
            assertThat(f.runSync(SYNC).status()).isEqualTo("failed");
            Map<String, Received> first = takeTwo();
            Received ding = first.get("/robot/send");
            assertThat(ding.query()).containsEntry("access_token", "robot-token-1234").containsKeys("timestamp", "sign");
            long ts = Long.parseLong(ding.query().get("timestamp"));
            assertThat(ts).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
            assertThat(ding.query().get("sign")).isEqualTo(DingTalkSink.sign(ts, DING_SECRET));
            assertThat(ding.body()).containsEntry("msgtype", "text");
            @SuppressWarnings("unchecked")
            String content = (String) ((Map<String, Object>) ding.body().get("text")).get("content");
            assertThat(content).contains(SYNC).contains("rejected Ferry's credentials").doesNotContain("not-the-right-token");
            Received hook = first.get("/hook");
            assertThat(hook.body()).containsEntry("source", "ferry").containsEntry("kind", "credentials-rejected")
                    .containsEntry("sync", SYNC);

            // 2. the same failure again within the window: nothing more
            assertThat(f.runSync(SYNC).status()).isEqualTo("failed");
            assertThat(received.poll(1500, TimeUnit.MILLISECONDS)).isNull();

            // 3. right credentials; one shop without its key becomes a dead letter: the open dead letters grew
            f.with("camel.component.jushuitan.access-token", token).restart();
            Map<String, Object> keyless = new HashMap<>(JushuitanSimulator.shop(5));
            keyless.remove("shop_id");
            f.sandbox().jushuitan().overrideShop(5, keyless);
            var run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.failed()).isEqualTo(1);
            Map<String, Received> grew = takeTwo();
            assertThat(grew.get("/hook").body()).containsEntry("kind", "dead-letters-grew");
            assertThat((String) grew.get("/hook").body().get("message")).contains("from 0 to 1");

            // 4. a failure of another kind is a new alert
            f.sandbox().jushuitan().overridePage(1, 500, "text/plain", "maintenance");
            assertThat(f.runSync(SYNC).status()).isEqualTo("failed");
            Map<String, Received> failed = takeTwo();
            assertThat(failed.get("/hook").body()).containsEntry("kind", "run-failed");
            assertThat(received.poll(1000, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void theThrottleLetsTheSameAlertThroughAgainAfterTheWindow() throws Exception {
        AlertThrottle t = new AlertThrottle(Duration.ofMillis(200));
        assertThat(t.allow("run-failed:a")).isTrue();
        assertThat(t.allow("run-failed:a")).isFalse();
        assertThat(t.allow("run-failed:b")).isTrue();
        Thread.sleep(250);
        assertThat(t.allow("run-failed:a")).isTrue();
    }

    @Test
    void dingTalkSignMatchesTheDocumentedExample() {
        // HmacSHA256("secret", "1577000000000\nsecret"), Base64: computed independently with openssl
        assertThat(DingTalkSink.sign(1577000000000L, "secret")).isEqualTo(EXPECTED_SIGN);
    }

    static final String EXPECTED_SIGN = "wOJOY990wzDizzitKprxFxek3uPNSh/elX9sDDvfFR8=";

    private Map<String, Received> takeTwo() throws InterruptedException {
        Map<String, Received> m = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            Received r = received.poll(15, TimeUnit.SECONDS);
            assertThat(r).as("alert " + (i + 1) + " of 2").isNotNull();
            m.put(r.path(), r);
        }
        return m;
    }
}
