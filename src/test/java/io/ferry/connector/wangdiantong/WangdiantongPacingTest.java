package io.ferry.connector.wangdiantong;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ferry.connector.wangdiantong.WangdiantongComponent.Style;
import io.ferry.http.ApiHttp;
import io.ferry.http.ApiHttp.Caller;
import io.ferry.sandbox.WangdiantongSimulator;

/**
 * Wangdiantong's two limits, calls at once and calls in a window, paced against the simulator over HTTP: its calls
 * take 200 ms to answer, so callers pile up in flight; its limits are counted per app key by its own limiters.
 */
class WangdiantongPacingTest {

    private static final String SECRET = "s3cret:salt9";
    private WangdiantongSimulator sim;

    @BeforeEach
    void start() {
        sim = new WangdiantongSimulator("sid1", "key1", SECRET, "qm-key", "qm-secret", "target", 500);
        sim.answerLatency(Duration.ofMillis(200));
        sim.start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private WangdiantongClient client(int concurrentRequests, int requestsPerSecond) {
        WangdiantongComponent c = new WangdiantongComponent();
        c.setBaseUrl(sim.url());
        c.setSid("sid1");
        c.setAppKey("key1");
        c.setAppSecret(SECRET);
        c.setConcurrentRequests(concurrentRequests);
        c.setRequestsPerSecond(requestsPerSecond);
        c.setRateLimitPause(100);
        return new WangdiantongClient(c, new ApiHttp("wangdiantong", Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    /** {@code calls} pages asked by {@code callers} threads at once. */
    static void ask(WangdiantongClient client, int calls, int callers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> asked = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                int page = i % 10;
                asked.add(pool.submit(() -> client.page(Caller.NONE, Style.DIRECT, "setting.Shop.queryShop", page, 50, Map.of())));
            }
            for (Future<?> f : asked) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tenCallersAtTheDefaultFiveAtOnceAreNeverRefused() throws Exception {
        WangdiantongClient client = client(5, 0);
        ask(client, 40, 10);
        assertThat(sim.concurrencyLimitAnswers()).as("refused for calls at once").isZero();
        assertThat(sim.rateLimitAnswers()).as("refused").isZero();
        assertThat(sim.mostInFlight()).isEqualTo(5);
    }

    @Test
    void aVendorAllowingFewerAtOnceTeachesTheClientWithAFewRefusals() throws Exception {
        sim.concurrencyLimit(3);
        WangdiantongClient client = client(8, 0);
        ask(client, 60, 8);
        assertThat(sim.concurrencyLimitAnswers()).as("refused for calls at once, of 60 pages").isBetween(1L, 12L);
        assertThat(sim.mostInFlight()).isLessThanOrEqualTo(3);
    }

    @Test
    void aPerSecondLimitTheMessageCallsPerMinuteIsLearnedAsPerSecond() throws Exception {
        // a vendor at 5 calls a second that answers 超过每分钟最大调用频率限制: the 100 pages took 191 s
        sim.answerLatency(Duration.ZERO);
        sim.rateLimitPerSecond(5);
        WangdiantongClient client = client(5, 0);
        long start = System.nanoTime();
        ask(client, 60, 2);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(sim.rateLimitAnswers()).as("refused, of 60 pages").isBetween(1L, 6L);
        // 60 calls at 5 a second need 11.8 s; the old fixed 10 s pause per refusal made it minutes
        assertThat(ms).isLessThan(30_000);
    }
}
