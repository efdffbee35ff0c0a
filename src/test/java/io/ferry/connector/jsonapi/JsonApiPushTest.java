package io.ferry.connector.jsonapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ferry.http.ApiCall;
import io.ferry.kernel.RowResult;
import io.ferry.kernel.RunContext;
import io.ferry.kernel.TargetConfigurationException;
import io.ferry.kernel.TransientException;
import io.ferry.sandbox.Faults;
import io.ferry.sandbox.JsonApiSimulator;

/** jsonapi:…?operation=push against the simulator's receive endpoint: the success predicate decides per row. */
class JsonApiPushTest {

    private JsonApiHarness h;

    @BeforeEach
    void start() {
        h = new JsonApiHarness(10, 0);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private String push(String options) {
        return "jsonapi:receive?operation=push&url=RAW(" + h.url(JsonApiSimulator.RECEIVE) + ")&bearerTokenProperty="
                + JsonApiHarness.TOKEN_PROPERTY + options;
    }

    private Exchange send(String uri, List<Map<String, Object>> rows, List<String> keys) {
        return h.template.send(uri, ex -> {
            ex.getIn().setBody(rows);
            ex.getIn().setHeader(RunContext.ROW_KEYS_HEADER, keys);
        });
    }

    @SuppressWarnings("unchecked")
    private static List<RowResult> results(Exchange out) {
        return out.getMessage().getHeader(RowResult.HEADER, List.class);
    }

    private Map<String, Object> order(int i, double amount) {
        Map<String, Object> o = new LinkedHashMap<>(h.api.order(i));
        o.put("amount", amount);
        return o;
    }

    @Test
    void aRowWhoseAnswerFailsThePredicateIsRejectedWithTheAnswersMessage() {
        Exchange out = send(push("&successPath=code&successValue=0&messagePath=message"),
                List.of(order(0, 12.5), order(1, -3), order(2, 99)), List.of("SO-000001", "SO-000002", "SO-000003"));
        assertThat(out.getException()).isNull();
        assertThat(results(out)).extracting(RowResult::delivered).containsExactly(true, false, true);
        assertThat(results(out).get(1).message()).isEqualTo("jsonapi receive answered code \"E1001\": amount must not be negative");
        assertThat(h.api.received()).containsOnlyKeys("SO-000001", "SO-000003"); // the keys came as Idempotency-Key
        assertThat(h.api.received().get("SO-000003")).containsEntry("amount", 99.0);
        assertThat(h.calls).extracting(ApiCall::vendorCode).containsExactly("0", "E1001", "0");
        assertThat(h.calls).extracting(ApiCall::direction).containsOnly("push");
    }

    @Test
    void theExpectedValueIsComparedAsTextAndMayBeOneOfSeveral() {
        // the simulator answers the string "0": a route that lists 0 and OK takes it
        Exchange out = send(push("&successPath=/code&successValue=OK,0&method=PUT&idempotencyHeader="), List.of(order(4, 1)),
                List.of("SO-000005"));
        assertThat(results(out)).containsExactly(RowResult.delivered(0, null));
        assertThat(h.api.received()).containsOnlyKeys("SO-000005"); // no Idempotency-Key: stored under its order_no
        Exchange refused = send(push("&successPath=code&successValue=OK"), List.of(order(5, 1)), List.of("SO-000006"));
        assertThat(results(refused)).singleElement().satisfies(r -> {
            assertThat(r.delivered()).isFalse();
            // without messagePath the answer itself explains the refusal
            assertThat(r.message()).contains("code \"0\"").contains("\"code\":\"0\""); // the answer as the API wrote it (its key order is the simulator's)
        });
    }

    @Test
    void withoutAPredicateAny2xxDelivers() {
        Exchange out = send(push(""), List.of(order(1, -3)), List.of("SO-000002"));
        assertThat(results(out)).containsExactly(RowResult.delivered(0, null));
    }

    @Test
    void answersThatAreNotTheApisVerdictOnTheRowAreTransient() {
        h.api.setFaults(new Faults(1, 0, 0, 0, 0, 0, 1.0, 0, 0)); // an HTML page, status 200
        Exchange html = send(push("&successPath=code&successValue=0"), List.of(order(0, 1)), List.of("SO-000001"));
        assertThat(html.getException()).isInstanceOf(TransientException.class).hasMessageContaining("not JSON");
        h.api.setFaults(new Faults(1, 1.0, 0, 0, 0, 0, 0, 0, 0)); // HTTP 500
        Exchange failed = send(push("&successPath=code&successValue=0"), List.of(order(0, 1)), List.of("SO-000001"));
        assertThat(failed.getException()).isInstanceOf(TransientException.class).hasMessageContaining("HTTP 500");
        h.api.setFaults(Faults.NONE);
        h.api.answerTooManyRequests(1);
        Exchange waited = send(push("&successPath=code&successValue=0&maxRetryAfter=20"), List.of(order(0, 1)), List.of("SO-000001"));
        assertThat(results(waited)).containsExactly(RowResult.delivered(0, null));
        assertThat(h.api.received()).containsOnlyKeys("SO-000001");
    }

    @Test
    void aWrongUrlOrRefusedCredentialsFailTheRunAtOnce() {
        Exchange wrong = send("jsonapi:receive?operation=push&url=RAW(" + h.url("/v1/nowhere") + ")&bearerTokenProperty="
                + JsonApiHarness.TOKEN_PROPERTY + "&successPath=code&successValue=0", List.of(order(0, 1)), List.of("SO-000001"));
        assertThat(wrong.getException()).isInstanceOf(TargetConfigurationException.class).hasMessageContaining("HTTP 404");
        h.camel.getPropertiesComponent().addOverrideProperty(JsonApiHarness.TOKEN_PROPERTY, "expired-token-0c1f");
        Exchange refused = send(push("&successPath=code&successValue=0"), List.of(order(0, 1)), List.of("SO-000001"));
        assertThat(refused.getException()).isInstanceOf(TargetConfigurationException.class)
                .hasMessageContaining("refused the credentials (HTTP 401)").hasMessageNotContaining("expired-token-0c1f");
        assertThat(h.api.received()).isEmpty();
    }
}
