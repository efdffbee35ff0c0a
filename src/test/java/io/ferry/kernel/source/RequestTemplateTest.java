package io.ferry.kernel.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RequestTemplateTest {

    @Test
    void aWholePlaceholderKeepsItsTypeAndAnUnknownValueLeavesTheKeyOut() {
        RequestTemplate t = RequestTemplate.parse("{\"page_index\":\"${page}\",\"cursor\":\"${cursor}\",\"q\":\"from ${windowStart}\"}");
        Map<String, Object> values = new HashMap<>();
        values.put("page", 3);
        values.put("cursor", null);
        values.put("windowStart", "2026-11-01 00:00:00");
        assertThat(t.render(values)).containsEntry("page_index", 3).doesNotContainKey("cursor")
                .containsEntry("q", "from 2026-11-01 00:00:00");
    }

    @Test
    void theRoutesParametersGoOverTheConnectorsAndUnknownPlaceholdersAreRefused() {
        RequestTemplate t = RequestTemplate.parse("{\"page_size\":\"${pageSize}\",\"a\":1}").with(RequestTemplate.parse("{\"a\":2,\"b\":[\"${offset}\"]}"));
        assertThat(t.render(Map.of("pageSize", 50, "offset", 100L))).containsEntry("a", 2).containsEntry("page_size", 50)
                .containsEntry("b", java.util.List.of(100L));
        assertThatThrownBy(() -> RequestTemplate.parse("{\"x\":\"${pge}\"}").check(Set.of("page")))
                .hasMessageContaining("${pge}");
        assertThatThrownBy(() -> RequestTemplate.parse("[1]")).hasMessageContaining("not a JSON object");
    }
}
