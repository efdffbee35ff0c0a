package io.ferry.connector.wangdiantong;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ferry.http.ApiHttp;
import io.ferry.sandbox.WangdiantongSimulator;
import io.ferry.support.SharedLedgerDatabase;

/**
 * Wangdiantong's 5 calls at once per app key, with two replicas calling on the same key (its calls take 200 ms, so
 * callers pile up in flight): alone each allows itself 5 and the vendor sees 10; sharing the ledger on the state
 * database, the vendor never sees more than 5 and refuses nothing.
 */
class SharedCallsAtOnceAcrossProcessesTest {

    private static final String SECRET = "s3cret:salt9";
    private WangdiantongSimulator sim;
    private SharedLedgerDatabase database;

    @BeforeEach
    void start() {
        sim = new WangdiantongSimulator("sid1", "key1", SECRET, "qm-key", "qm-secret", "target", 500);
        sim.answerLatency(Duration.ofMillis(200));
        sim.start();
        database = new SharedLedgerDatabase();
    }

    @AfterEach
    void stop() throws Exception {
        sim.close();
        database.close();
    }

    private WangdiantongClient replica(String node, boolean shared) {
        CamelContext camel = database.replica(node, shared);
        WangdiantongComponent c = new WangdiantongComponent();
        c.setBaseUrl(sim.url());
        c.setSid("sid1");
        c.setAppKey("key1");
        c.setAppSecret(SECRET);
        c.setConcurrentRequests(5);
        c.setRequestsPerMinute(0);
        c.setRateLimitPause(100);
        camel.addComponent("wangdiantong", c);
        camel.start();
        return new WangdiantongClient(c, new ApiHttp("wangdiantong", Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    private static void askBoth(WangdiantongClient a, WangdiantongClient b) throws Exception {
        CompletableFuture<Void> onA = CompletableFuture.runAsync(() -> ask(a));
        CompletableFuture<Void> onB = CompletableFuture.runAsync(() -> ask(b));
        onA.get();
        onB.get();
    }

    private static void ask(WangdiantongClient client) {
        try {
            WangdiantongPacingTest.ask(client, 30, 8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void twoReplicasSharingTheLedgerNeverHaveMoreThanFiveInFlight() throws Exception {
        askBoth(replica("ferry-a", true), replica("ferry-b", true));
        assertThat(sim.concurrencyLimitAnswers()).as("refused for calls at once").isZero();
        assertThat(sim.mostInFlight()).isEqualTo(5);
    }

    /** Without the ledger the same two replicas exceed the vendor's calls at once: the test above can fail. */
    @Test
    void twoReplicasPacingAloneExceedIt() throws Exception {
        askBoth(replica("ferry-a", false), replica("ferry-b", false));
        assertThat(sim.concurrencyLimitAnswers()).as("refused for calls at once").isPositive();
    }
}
