package io.ferry.connector.wangdiantong;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ferry.connector.wangdiantong.WangdiantongComponent.Style;
import io.ferry.http.ApiHttp;
import io.ferry.http.CallBudget;
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
        return client(component(concurrentRequests, requestsPerSecond));
    }

    private static WangdiantongClient client(WangdiantongComponent c) {
        return new WangdiantongClient(c, new ApiHttp("wangdiantong", Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    /** A component of its own, with a budget of its own (as another process's would be). */
    private WangdiantongComponent component(int concurrentRequests, int requestsPerSecond) {
        WangdiantongComponent c = new WangdiantongComponent();
        c.setBaseUrl(sim.url());
        c.setSid("sid1");
        c.setAppKey("key1");
        c.setAppSecret(SECRET);
        c.setConcurrentRequests(concurrentRequests);
        c.setRequestsPerSecond(requestsPerSecond);
        c.setRateLimitPause(100);
        return c;
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
    void aNewLeaderMeetingTheMinuteTheDeadLeaderFilledKeepsItsLimit() throws Exception {
        // the dead leader (a budget of its own) made 288 of the vendor's 300 calls a minute just before it died
        sim.answerLatency(Duration.ZERO);
        ask(client(5, 0), 288, 5);
        assertThat(sim.rateLimitAnswers()).as("the dead leader is within the limit").isZero();
        WangdiantongComponent leader = component(5, 0);
        WangdiantongClient client = client(leader);
        ExecutorService sync = Executors.newSingleThreadExecutor();
        long start = System.nanoTime();
        try {
            // one sync paging, a tenth of a second per page for its own work
            sync.submit(() -> {
                for (int page = 0; page < 40; page++) {
                    client.page(Caller.NONE, Style.DIRECT, "setting.Shop.queryShop", page % 10, 50, Map.of());
                    Thread.sleep(100);
                }
                return null;
            }).get(100, TimeUnit.SECONDS);
        } finally {
            sync.shutdownNow();
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        // 12 pages, then 超过每分钟最大调用频率限制 until the dead leader's calls leave the vendor's minute: not a
        // limit of 12 a minute (the 28 pages left would take 140 s), and paced as configured after its first minute
        assertThat(leader.pacer().budget().paced()).isEqualTo(new CallBudget.Limits(0, 300, 5));
        assertThat(sim.rateLimitAnswers()).as("refused").isBetween(1L, 8L);
        assertThat(ms).as("40 pages").isBetween(55_000L, 75_000L);
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
