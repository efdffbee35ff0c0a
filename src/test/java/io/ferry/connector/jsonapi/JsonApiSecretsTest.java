package io.ferry.connector.jsonapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ferry.http.ApiCall;
import io.ferry.kernel.RunContext;
import io.ferry.sandbox.JsonApiSimulator;

/**
 * The requests jsonapi: hands to the API-call log, read as they are recorded (before the log's own safety net): every
 * credential, wherever it is sent (bearer token, a header, a query parameter, basic authentication), is shown masked.
 */
class JsonApiSecretsTest {

    private static final String HEADER_SECRET = "hdr-9b7e41c0aa";
    private static final String QUERY_SECRET = "q/s&cr=t+77";
    private static final String PASSWORD = "pw-51d0f3e2";

    private JsonApiHarness h;

    @BeforeEach
    void start() {
        h = new JsonApiHarness(60, 0);
        h.camel.getPropertiesComponent().addInitialProperty("test.jsonapi.query-key", QUERY_SECRET);
        h.camel.getComponent("jsonapi", JsonApiComponent.class).setAuthHeaderValue(HEADER_SECRET);
        h.camel.getComponent("jsonapi", JsonApiComponent.class).setAuthHeaderName("X-Api-Key");
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private void assertMasked(List<ApiCall> calls, String... secrets) {
        assertThat(calls).isNotEmpty().allSatisfy(c -> {
            for (String s : secrets) {
                assertThat(c.requestBody()).doesNotContain(s).doesNotContain(java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8));
                assertThat(c.endpoint()).doesNotContain(s);
                assertThat(String.valueOf(c.error())).doesNotContain(s);
            }
        });
    }

    @Test
    void aBearerTokenAHeaderAndAQueryParameterAreMaskedInTheLoggedRequest() {
        List<Map<String, Object>> records = h.readAll("jsonapi:orders?url=RAW(" + h.url(JsonApiSimulator.BY_CURSOR) + ")&records=data"
                + "&paging=cursor&endSignal=cursor:meta.next&pageSize=25&bearerTokenProperty=" + JsonApiHarness.TOKEN_PROPERTY
                + "&authQueryName=api_key&authQueryValueProperty=test.jsonapi.query-key");
        assertThat(records).hasSize(60); // the simulator checked the token on each call
        assertMasked(h.calls, JsonApiHarness.TOKEN, HEADER_SECRET, QUERY_SECRET);
        assertThat(h.calls.get(0).requestBody()).isEqualTo("GET " + JsonApiSimulator.BY_CURSOR + "?limit=25&api_key=***\n"
                + "Authorization: Bearer ***\nX-Api-Key: ***");
    }

    @Test
    void basicAuthenticationIsMaskedInAPushAndARefusalStillLogsNoSecret() {
        h.camel.getPropertiesComponent().addInitialProperty("test.jsonapi.password", PASSWORD);
        // the simulator wants a bearer token: basic authentication is refused, and the refusal is logged masked
        Exception e = h.template.send("jsonapi:receive?operation=push&url=RAW(" + h.url(JsonApiSimulator.RECEIVE) + ")"
                + "&successPath=code&successValue=0&basicUsername=ferry&basicPasswordProperty=test.jsonapi.password",
                ex -> {
                    ex.getIn().setBody(List.of(h.api.order(0)));
                    ex.getIn().setHeader(RunContext.ROW_KEYS_HEADER, List.of("SO-000001"));
                }).getException();
        assertThat(e).hasMessageContaining("refused the credentials (HTTP 401)").hasMessageContaining("test.jsonapi.password");
        String basic = java.util.Base64.getEncoder().encodeToString(("ferry:" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertMasked(h.calls, PASSWORD, basic, HEADER_SECRET);
        assertThat(h.calls).singleElement().satisfies(c -> assertThat(c.requestBody())
                .startsWith("POST " + JsonApiSimulator.RECEIVE + "\nIdempotency-Key: SO-000001\nAuthorization: Basic ***\nX-Api-Key: ***\n\n{"));
    }
}
