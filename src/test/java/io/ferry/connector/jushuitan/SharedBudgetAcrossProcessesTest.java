package io.ferry.connector.jushuitan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ferry.http.ApiHttp.Caller;
import io.ferry.sandbox.JushuitanSimulator;
import io.ferry.support.SharedLedgerDatabase;

/**
 * Two replicas (two Camel contexts, each with its own budgets and its own pool) calling Jushuitan with one app key:
 * the vendor counts the key's calls, so each pacing itself to the limit doubles it, and the vendor refuses; counted in
 * one ledger on the shared MariaDB state database, the two together keep to it and nothing is refused.
 */
class SharedBudgetAcrossProcessesTest {

    private JushuitanSimulator simulator;
    private SharedLedgerDatabase database;

    @BeforeEach
    void start() {
        simulator = new JushuitanSimulator("app", "secret", "token", 10_000);
        simulator.start();
        simulator.rateLimit(5, 0);
        database = new SharedLedgerDatabase();
    }

    @AfterEach
    void stop() throws Exception {
        simulator.close();
        database.close();
    }

    /** A replica's Jushuitan component at the vendor's 5 a second; its budgets shared in the ledger when asked. */
    private JushuitanComponent replica(String node, boolean shared) {
        CamelContext camel = database.replica(node, shared);
        JushuitanComponent c = new JushuitanComponent();
        c.setBaseUrl(simulator.url());
        c.setAppKey("app");
        c.setAppSecret("secret");
        c.setAccessToken("token");
        c.setRequestsPerSecond(5);
        c.setRequestsPerMinute(0);
        c.setRateLimitPause(200);
        camel.addComponent("jushuitan", c);
        camel.start();
        return c;
    }

    /** {@code calls} pages asked by 3 threads on each replica at once. */
    private static void ask(int calls, JushuitanComponent... replicas) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3 * replicas.length);
        try {
            List<Future<?>> asked = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                JushuitanClient client = replicas[i % replicas.length].client();
                int page = i % 50 + 1;
                asked.add(pool.submit(() -> client.call(Caller.NONE, JushuitanSimulator.PATH, Map.of("page_index", page, "page_size", 100))));
            }
            for (Future<?> f : asked) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoReplicasSharingTheLedgerKeepToTheVendorsLimitTogether() throws Exception {
        JushuitanComponent a = replica("ferry-a", true);
        JushuitanComponent b = replica("ferry-b", true);
        assertThat(a.pacer().budget()).isNotSameAs(b.pacer().budget());
        long start = System.nanoTime();
        ask(40, a, b);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(simulator.rateLimitAnswers()).as("calls refused").isZero();
        // 40 calls at 5 a second between them: the 40th no sooner than 7 s after the first
        assertThat(ms).isGreaterThanOrEqualTo(7000);
    }

    /** The same two replicas, each pacing alone: the test above would fail without the ledger. */
    @Test
    void twoReplicasPacingAloneAreRefused() throws Exception {
        JushuitanComponent a = replica("ferry-a", false);
        JushuitanComponent b = replica("ferry-b", false);
        ask(40, a, b);
        assertThat(simulator.rateLimitAnswers()).as("calls refused").isPositive();
    }
}
