package io.ferry.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MappingFunctionsTest {

    private static final JsonataMapping MAPPING = JsonataMapping.parse("test", "{\"t\": $datetime(t, \"t\")}");

    private static Object map(Object t) {
        Map<String, Object> record = new HashMap<>();
        if (t != NOTHING) {
            record.put("t", t);
        }
        Map<String, Object> row = MAPPING.apply(record, "k", null, "s");
        // the key is always there: a sink binds every column by name
        assertThat(row).containsKey("t");
        return row.get("t");
    }

    private static final Object NOTHING = new Object();

    @Test
    void aVendorTimeIsKeptAsItIs() {
        assertThat(map("2024-02-29 23:59:59")).isEqualTo("2024-02-29 23:59:59");
        assertThat(map("1999-12-31 00:00:00")).isEqualTo("1999-12-31 00:00:00");
    }

    @Test
    void missingNullAndEmptyBecomeNull() {
        assertThat(map(NOTHING)).isNull();
        assertThat(map(null)).isNull();
        assertThat(map("")).isNull();
    }

    @Test
    void anythingElseFailsTheRecordNamingTheField() {
        for (Object bad : new Object[] { "2023-02-29 12:00:00", "2024-13-01 00:00:00", "2024-01-01 24:00:00",
                "2024-01-01T00:00:00", "2024-01-01", " 2024-01-01 00:00:00", "soon", 20240101 }) {
            assertThatThrownBy(() -> map(bad)).as(String.valueOf(bad)).isInstanceOf(JsonataMapping.MappingException.class)
                    .hasMessageContaining("t is not a time: '" + bad + "'");
        }
    }
}
