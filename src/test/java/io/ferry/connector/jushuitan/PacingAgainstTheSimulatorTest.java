package io.ferry.connector.jushuitan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ferry.http.ApiHttp.Caller;
import io.ferry.http.CallBudget;
import io.ferry.sandbox.JushuitanSimulator;

/**
 * Jushuitan's client over HTTP against the simulator, which counts calls per app key over sliding windows with its
 * own limiter: at the vendor's limit nothing is refused, whatever the number of callers sharing the key; set above
 * it, the client learns the vendor's limit from a few refusals.
 */
class PacingAgainstTheSimulatorTest {

    private JushuitanSimulator simulator;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() {
        simulator = new JushuitanSimulator("app", "secret", "token", 10_000);
        simulator.start();
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
        simulator.close();
    }

    /** A Jushuitan component of its own (as a second sync's would be), on the simulator, with the limits given. */
    private JushuitanComponent component(String name, int perSecond, int perMinute) {
        return component(camel, name, perSecond, perMinute);
    }

    private JushuitanComponent component(DefaultCamelContext camel, String name, int perSecond, int perMinute) {
        JushuitanComponent c = new JushuitanComponent();
        c.setBaseUrl(simulator.url());
        c.setAppKey("app");
        c.setAppSecret("secret");
        c.setAccessToken("token");
        c.setRequestsPerSecond(perSecond);
        c.setRequestsPerMinute(perMinute);
        c.setRateLimitPause(200);
        camel.addComponent(name, c);
        return c;
    }

    /** {@code calls} pages asked by {@code callers} threads at once, spread over the components. */
    private void ask(int calls, int callers, JushuitanComponent... components) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> asked = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                JushuitanClient client = components[i % components.length].client();
                int page = i % 50 + 1;
                asked.add(pool.submit(() -> client.call(Caller.NONE, JushuitanSimulator.PATH,
                        Map.of("page_index", page, "page_size", 100))));
            }
            for (Future<?> f : asked) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoSyncsOnOneAppKeyAtTheVendorsLimitAreNeverRefused() throws Exception {
        simulator.rateLimit(5, 0);
        JushuitanComponent a = component("jst-a", 5, 0);
        JushuitanComponent b = component("jst-b", 5, 0);
        long start = System.nanoTime();
        ask(40, 6, a, b);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(simulator.rateLimitAnswers()).as("calls refused").isZero();
        // 40 calls at 5 a second: the 40th no sooner than 7 s after the first (a lower bound, not a timing test)
        assertThat(ms).isGreaterThanOrEqualTo(7000);
        assertThat(a.pacer().budget()).isSameAs(b.pacer().budget());
    }

    @Test
    void aFreshBudgetMeetingASecondAnotherClientFilledKeepsItsLimit() throws Exception {
        // another process on the same app key (a replica that just died, a tool) has used the vendor's second
        try (DefaultCamelContext other = new DefaultCamelContext()) {
            other.start();
            ask(5, 1, component(other, "jushuitan", 5, 100));
        }
        assertThat(simulator.rateLimitAnswers()).as("the other client is within the limit").isZero();
        JushuitanComponent c = component("jushuitan", 5, 100);
        long start = System.nanoTime();
        ask(40, 1, c);
        long ms = (System.nanoTime() - start) / 1_000_000;
        // its first calls are refused (每秒5次) until the other client's calls leave the vendor's second; that is not
        // a limit of 1 call a second, and after its first second of calls it paces at 5 again
        assertThat(simulator.rateLimitAnswers()).as("calls refused").isBetween(1L, 5L);
        assertThat(c.pacer().budget().paced()).isEqualTo(new CallBudget.Limits(5, 100, 0));
        // 40 calls at 5 a second take 8 s; at a false 1 a second, 40 s
        assertThat(ms).isLessThan(20_000);
    }

    @Test
    void aVendorLimitBelowTheConfiguredOneCostsAFewRefusalsNotOnePerPage() throws Exception {
        simulator.rateLimit(4, 0);
        JushuitanComponent c = component("jushuitan", 10, 0);
        ask(48, 4, c);
        CallBudget budget = c.pacer().budget();
        // the first refusals come to the 4 callers at once, before the budget has learned: 2 each at most; what they
        // confirm in its first second is held for that second only, and asked again after it: one each at most
        assertThat(simulator.rateLimitAnswers()).as("calls refused, of 48").isBetween(1L, 12L);
        assertThat(budget.paced().perSecond()).isEqualTo(4);
    }
}
