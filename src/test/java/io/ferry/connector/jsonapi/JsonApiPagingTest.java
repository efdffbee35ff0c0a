package io.ferry.connector.jsonapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ferry.http.ApiCall;
import io.ferry.kernel.ConfigurationException;
import io.ferry.kernel.RateLimitExhaustedException;
import io.ferry.kernel.SourceException;
import io.ferry.kernel.UnreadableAnswerException;
import io.ferry.sandbox.Faults;
import io.ferry.sandbox.JsonApiSimulator;

/** jsonapi: as a source against the simulator, in each paging style: every record read once, the end found. */
class JsonApiPagingTest {

    private static final int RECORDS = 103;
    private static final String AUTH = "&bearerTokenProperty=" + JsonApiHarness.TOKEN_PROPERTY;

    private JsonApiHarness h;

    @BeforeEach
    void start() {
        h = new JsonApiHarness(RECORDS, 0);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private static void assertEachOnce(List<Map<String, Object>> records) {
        assertThat(records).extracting(r -> ((Number) r.get("id")).intValue())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, RECORDS).boxed().toList());
    }

    private long calls(String path) {
        return h.calls.stream().filter(c -> c.endpoint().equals(path)).count();
    }

    @Test
    void pageNumbersFromOneUntilAShortPage() {
        List<Map<String, Object>> records = h.readAll("jsonapi:orders?url=RAW(" + h.url(JsonApiSimulator.BY_PAGE) + ")&records=orders"
                + "&params=RAW({\"page\":\"${page}\",\"per_page\":\"${pageSize}\"})&pageSize=25" + AUTH);
        assertEachOnce(records);
        assertThat(calls(JsonApiSimulator.BY_PAGE)).isEqualTo(5); // 4 full pages, then 3 records
        assertThat(h.calls).extracting(ApiCall::requestBody)
                .anySatisfy(r -> assertThat(r).startsWith("GET " + JsonApiSimulator.BY_PAGE + "?page=5&per_page=25"));
    }

    @Test
    void offsetAndLimitUntilTheTotal() {
        List<Map<String, Object>> records = h.readAll("jsonapi:orders?url=RAW(" + h.url(JsonApiSimulator.BY_OFFSET) + ")&records=items"
                + "&paging=offset&endSignal=total:total&pageSize=50" + AUTH);
        assertEachOnce(records);
        assertThat(calls(JsonApiSimulator.BY_OFFSET)).isEqualTo(3);
        assertThat(h.calls).extracting(ApiCall::requestBody).anySatisfy(r -> assertThat(r).contains("offset=100&limit=50"));
    }

    @Test
    void aCursorFromTheBodyInTheQueryString() {
        List<Map<String, Object>> records = h.readAll("jsonapi:orders?url=RAW(" + h.url(JsonApiSimulator.BY_CURSOR) + ")&records=data"
                + "&paging=cursor&endSignal=cursor:meta.next&pageSize=40" + AUTH);
        assertEachOnce(records);
        assertThat(calls(JsonApiSimulator.BY_CURSOR)).isEqualTo(3); // the last page's meta.next is null
    }

    @Test
    void aCursorFromTheBodyInAPostedJsonBody() {
        List<Map<String, Object>> records = h.readAll("jsonapi:orders?url=RAW(" + h.url(JsonApiSimulator.BY_CURSOR) + ")&method=POST"
                + "&records=/data&paging=cursor&endSignal=cursor:/meta/next&pageSize=40" + AUTH);
        assertEachOnce(records);
        assertThat(h.calls).extracting(ApiCall::requestBody).first().satisfies(r ->
                assertThat(r).startsWith("POST " + JsonApiSimulator.BY_CURSOR + "\n").endsWith("\n\n{\"limit\":40}"));
        assertThat(h.calls).extracting(ApiCall::requestBody).element(1).satisfies(r -> assertThat(r).contains("{\"cursor\":\""));
    }

    @Test
    void theLinkHeaderGivesTheNextUrl() {
        List<Map<String, Object>> records = h.readAll("jsonapi:orders?url=RAW(" + h.url(JsonApiSimulator.BY_LINK) + ")&records=/"
                + "&paging=cursor&endSignal=link&params=RAW({\"per_page\":\"${pageSize}\"})&pageSize=30" + AUTH);
        assertEachOnce(records);
        assertThat(h.calls).extracting(ApiCall::requestBody).map(r -> r.lines().findFirst().orElseThrow()).containsExactly(
                "GET " + JsonApiSimulator.BY_LINK + "?per_page=30",
                "GET " + JsonApiSimulator.BY_LINK + "?page=2&per_page=30",
                "GET " + JsonApiSimulator.BY_LINK + "?page=3&per_page=30",
                "GET " + JsonApiSimulator.BY_LINK + "?page=4&per_page=30");
    }

    @Test
    void aCursorThatRepeatsItselfFailsInsteadOfLooping() {
        h.api.repeatCursor(true);
        assertThatThrownBy(() -> h.readAll("jsonapi:orders?url=RAW(" + h.url(JsonApiSimulator.BY_CURSOR) + ")&records=data"
                + "&paging=cursor&endSignal=cursor:meta.next&pageSize=10" + AUTH))
                .isInstanceOf(SourceException.class).hasMessageContaining("gives the cursor it was asked for");
        // the first page gives a cursor, the second hands the same one back
        assertThat(calls(JsonApiSimulator.BY_CURSOR)).isEqualTo(2);
    }

    @Test
    void aRefusedTokenIsAConfigurationErrorNamingItsProperty() {
        h.camel.getPropertiesComponent().addOverrideProperty(JsonApiHarness.TOKEN_PROPERTY, "wrong-token-5e1d");
        assertThatThrownBy(() -> h.readAll("jsonapi:orders?url=RAW(" + h.url(JsonApiSimulator.BY_PAGE) + ")&records=orders" + AUTH))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("jsonapi orders " + JsonApiSimulator.BY_PAGE + " (page 1) refused the credentials (HTTP 401)")
                .hasMessageContaining("the bearer token is not valid").hasMessageContaining("check " + JsonApiHarness.TOKEN_PROPERTY);
        assertThat(h.calls).singleElement().satisfies(c -> {
            assertThat(c.httpStatus()).isEqualTo(401);
            assertThat(c.requestBody()).doesNotContain("wrong-token-5e1d");
        });
    }

    @Test
    void noCredentialsAtAllSaySo() {
        assertThatThrownBy(() -> h.readAll("jsonapi:orders?url=RAW(" + h.url(JsonApiSimulator.BY_PAGE) + ")&records=orders"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("HTTP 401").hasMessageContaining("no credentials are configured");
    }

    @Test
    void tooManyRequestsIsWaitedOutAsRetryAfterSaysWithinTheBound() {
        h.api.answerTooManyRequests(2);
        long t0 = System.nanoTime();
        List<Map<String, Object>> records = h.readAll("jsonapi:orders?url=RAW(" + h.url(JsonApiSimulator.BY_OFFSET) + ")&records=items"
                + "&paging=offset&endSignal=total:total&pageSize=100&pageAhead=false" + AUTH);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEachOnce(records);
        assertThat(h.api.tooManyRequestsAnswers()).isEqualTo(2);
        assertThat(ms).as("two Retry-After: 1 waited out").isGreaterThanOrEqualTo(2000);

        h.api.answerTooManyRequests(10);
        assertThatThrownBy(() -> h.readAll("jsonapi:orders2?url=RAW(" + h.url(JsonApiSimulator.BY_OFFSET) + ")&records=items"
                + "&paging=offset&endSignal=total:total&pageSize=100&pageAhead=false&maxRetryAfter=50&rateLimitMaxWait=200" + AUTH))
                .isInstanceOf(RateLimitExhaustedException.class).hasMessageContaining("kept answering HTTP 429");
    }

    @Test
    void theClientKeepsUnderItsOwnRateLimit() {
        JsonApiHarness limited = new JsonApiHarness(RECORDS, 5);
        try {
            List<Map<String, Object>> records = limited.readAll("jsonapi:orders?url=RAW(" + limited.url(JsonApiSimulator.BY_PAGE)
                    + ")&records=orders&params=RAW({\"page\":\"${page}\",\"per_page\":\"${pageSize}\"})&pageSize=10"
                    + "&requestsPerSecond=4" + AUTH);
            assertThat(records).hasSize(RECORDS);
            assertThat(limited.api.tooManyRequestsAnswers()).isZero();
        } finally {
            limited.close();
        }
    }

    @Test
    void anHtmlPageIsAnUnreadableAnswerThatIsRetried() {
        h.api.setFaults(new Faults(1, 0, 0, 0, 0, 0, 1.0, 0, 0));
        assertThatThrownBy(() -> h.readAll("jsonapi:orders?url=RAW(" + h.url(JsonApiSimulator.BY_PAGE) + ")&records=orders" + AUTH))
                .isInstanceOf(UnreadableAnswerException.class).hasMessageContaining("that is not JSON");
    }

    @Test
    void aRecordsPathThatFindsNothingNamesTheKeysThere() {
        assertThatThrownBy(() -> h.readAll("jsonapi:orders?url=RAW(" + h.url(JsonApiSimulator.BY_PAGE) + ")&records=data" + AUTH))
                .isInstanceOf(SourceException.class).hasMessageContaining("'data' finds nothing").hasMessageContaining("orders");
    }

    @Test
    void optionsAreCheckedWhenTheEndpointIsMade() {
        assertThatThrownBy(() -> h.camel.getEndpoint("jsonapi:orders?url=RAW(" + h.url("/x") + ")"))
                .hasMessageContaining("'records' is required");
        assertThatThrownBy(() -> h.camel.getEndpoint("jsonapi:orders?url=RAW(" + h.url("/x") + ")&records=data&pageSize=1001"))
                .hasMessageContaining("between 1 and 1000");
        assertThat(h.camel.getEndpoint("jsonapi:orders?url=RAW(" + h.url("/x") + ")&records=data&pageSize=5000&maxPageSize=5000"))
                .isNotNull();
        assertThatThrownBy(() -> h.camel.getEndpoint("jsonapi:orders?url=RAW(" + h.url("/x") + ")&records=data&method=PUT"))
                .hasMessageContaining("cannot read pages");
        assertThatThrownBy(() -> h.camel.getEndpoint("jsonapi:orders?url=RAW(ftp://x/y)&records=data"))
                .hasMessageContaining("is not an http(s) URL");
        assertThatThrownBy(() -> h.camel.getEndpoint("jsonapi:orders?url=RAW(" + h.url("/x") + ")&operation=push&successPath=code"))
                .hasMessageContaining("successPath needs successValue");
    }
}
