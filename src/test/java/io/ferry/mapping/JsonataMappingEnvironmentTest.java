package io.ferry.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.dashjoin.jsonata.Jsonata;

/** Mapping many records on one thread must not make each record dearer than the one before. */
class JsonataMappingEnvironmentTest {

    @Test
    void theEnvironmentDoesNotGrowWithEveryRecord() throws Exception {
        JsonataMapping m = JsonataMapping.parse("test", "( $f := function($t) { $trim($t) }; {\"name\": $f(name), \"key\": $key} )");
        for (int i = 0; i < 200; i++) {
            assertThat(m.apply(Map.of("name", " shop" + i + " "), "k" + i, null, "s"))
                    .containsEntry("name", "shop" + i).containsEntry("key", "k" + i);
        }
        Field expression = JsonataMapping.class.getDeclaredField("expression");
        expression.setAccessible(true);
        Field environment = Jsonata.class.getDeclaredField("environment");
        environment.setAccessible(true);
        Field parent = Jsonata.Frame.class.getDeclaredField("parent");
        parent.setAccessible(true);
        int depth = 0;
        for (Object f = environment.get(expression.get(m)); f != null; f = parent.get(f)) {
            depth++;
        }
        // unreset, the chain gains a frame per record (over 200 here)
        assertThat(depth).isLessThan(10);
    }
}
