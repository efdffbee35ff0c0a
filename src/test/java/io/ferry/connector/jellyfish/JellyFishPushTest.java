package io.ferry.connector.jellyfish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ferry.kernel.RowResult;
import io.ferry.kernel.TargetConfigurationException;
import io.ferry.kernel.TransientException;
import io.ferry.sandbox.JellyFishSourceSimulator;
import io.ferry.sandbox.JellyFishTargetSimulator;

/** jellyfish:push on its own against system B's simulator: what counts as delivered, retried, rejected or transient. */
class JellyFishPushTest {

    private JellyFishTargetSimulator b;
    private CamelContext camel;
    private ProducerTemplate template;

    @BeforeEach
    void start() throws Exception {
        b = new JellyFishTargetSimulator();
        b.start();
        camel = new DefaultCamelContext();
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        camel.stop();
        b.close();
    }

    private Exchange push(String path, Object body) {
        return template.send("jellyfish:push?url=RAW(" + b.url() + path + ")&maxAttempts=3&delay=1&exponential=false",
                ex -> ex.getIn().setBody(body));
    }

    @SuppressWarnings("unchecked")
    private static List<RowResult> results(Exchange out) {
        return out.getMessage().getHeader(RowResult.HEADER, List.class);
    }

    @Test
    void onlyTheStringCodeZeroDelivers() {
        Exchange ok = push(JellyFishTargetSimulator.PATH, List.of(JellyFishSourceSimulator.record(1)));
        assertThat(ok.getException()).isNull();
        assertThat(results(ok)).containsExactly(RowResult.delivered(0, null));
        assertThat(b.acceptedCount(1)).isEqualTo(1);

        b.numericCode(true);
        Exchange numeric = push(JellyFishTargetSimulator.PATH, List.of(JellyFishSourceSimulator.record(2)));
        assertThat(results(numeric)).singleElement().satisfies(r -> {
            assertThat(r.delivered()).isFalse();
            assertThat(r.message()).startsWith("B answered code 0:").endsWith("on each of 3 attempts");
        });
        assertThat(b.callsFor(2)).isEqualTo(3);
    }

    @Test
    void aRefusedRecordIsPushedAgainAndRejectedAfterMaxAttempts() {
        b.refuse(3, 2);
        b.refuseAlways(4);
        Exchange out = push(JellyFishTargetSimulator.PATH, List.of(JellyFishSourceSimulator.record(3), JellyFishSourceSimulator.record(4)));
        assertThat(results(out)).extracting(RowResult::delivered).containsExactly(true, false);
        assertThat(results(out).get(1).message()).contains("code \"1\"").contains("记录4校验失败");
        assertThat(b.callsFor(3)).isEqualTo(3);
        assertThat(b.callsFor(4)).isEqualTo(3);
    }

    @Test
    void http5xxIsTransientAnd4xxIsTheUrlNeitherAVerdictOnTheRecord() {
        b.failNextCalls(1);
        Exchange outage = push(JellyFishTargetSimulator.PATH, List.of(JellyFishSourceSimulator.record(5)));
        assertThat(outage.getException()).isInstanceOf(TransientException.class).hasMessageContaining("HTTP 500");
        assertThat(b.acceptedCount(5)).isZero();

        Exchange wrongUrl = push("/no-such-path", List.of(JellyFishSourceSimulator.record(6)));
        assertThat(wrongUrl.getException()).isInstanceOf(TargetConfigurationException.class).hasMessageContaining("HTTP 404")
                .hasMessageContaining("check its url");
    }

    @Test
    void anUnsetUrlFailsTheCallNotCamelsStart() {
        Exchange out = template.send("jellyfish:push?url=RAW()&maxAttempts=2", ex -> ex.getIn().setBody(List.of(JellyFishSourceSimulator.record(1))));
        assertThat(out.getException()).isInstanceOf(TransientException.class).hasMessageContaining("has no url");
        assertThat(b.totalCalls()).isZero();
    }

    @Test
    void delaysAreFixedOrDoubledUpToTheCap() throws Exception {
        JellyFishEndpoint e = camel.getEndpoint("jellyfish:push?url=http://127.0.0.1:1/r&delay=1000&maxDelay=5000", JellyFishEndpoint.class);
        assertThat(List.of(e.delayAfter(1), e.delayAfter(2), e.delayAfter(3), e.delayAfter(4))).containsExactly(1000L, 2000L, 4000L, 5000L);
        JellyFishEndpoint fixed = camel.getEndpoint("jellyfish:push?url=http://127.0.0.1:1/r&delay=700&exponential=false", JellyFishEndpoint.class);
        assertThat(List.of(fixed.delayAfter(1), fixed.delayAfter(3))).containsExactly(700L, 700L);
    }
}
