package io.ferry.connector.jsonapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The small rules of jsonapi: on their own: the success predicate's comparison, query strings. */
class JsonApiAnswersTest {

    @Test
    void theSuccessValueIsComparedAsText() {
        SuccessPredicate zero = SuccessPredicate.of("code", "0");
        assertThat(zero.test(Map.of("code", "0"))).isTrue();
        assertThat(zero.test(Map.of("code", 0))).isTrue();
        assertThat(zero.test(Map.of("code", 0.0))).isTrue();
        assertThat(zero.test(Map.of("code", "00"))).isFalse();
        assertThat(zero.test(Map.of("code", 1))).isFalse();
        assertThat(zero.test(Map.of("msg", "ok"))).isFalse();
        Map<String, Object> nullCode = new LinkedHashMap<>();
        nullCode.put("code", null);
        assertThat(zero.test(nullCode)).isFalse();
        assertThat(SuccessPredicate.of("/result/ok", "true").test(Map.of("result", Map.of("ok", true)))).isTrue();
        assertThat(SuccessPredicate.of("status", "accepted, queued").test(Map.of("status", "queued"))).isTrue();
        assertThat(SuccessPredicate.of("n", "1.5").test(Map.of("n", 1.50))).isTrue();
        assertThat(SuccessPredicate.of(null, null).test(List.of())).isTrue();
    }

    @Test
    void parametersAreAddedToTheQueryTheUrlHas() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("page", 2);
        p.put("q", "a b&c");
        p.put("filter", Map.of("status", "paid"));
        p.put("none", null);
        assertThat(JsonApiClient.withQuery(URI.create("https://h/v1/orders?tenant=7"), p).toString())
                .isEqualTo("https://h/v1/orders?tenant=7&page=2&q=a%20b%26c&filter=%7B%22status%22%3A%22paid%22%7D");
        assertThat(JsonApiClient.withQuery(URI.create("https://h/v1/orders"), Map.of()).toString()).isEqualTo("https://h/v1/orders");
    }
}
