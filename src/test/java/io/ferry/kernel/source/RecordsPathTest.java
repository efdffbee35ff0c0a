package io.ferry.kernel.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ferry.kernel.SourceException;

class RecordsPathTest {

    private static final Map<String, Object> ORDERS = Map.of("code", 0, "msg", "",
            "data", Map.of("page_index", 1, "data_count", 130, "has_next", true, "orders", List.of(Map.of("o_id", 1))));

    @Test
    void aPathThatFindsNothingInAnAnswerWithRecordsNamesThePathAndTheKeys() {
        // Jushuitan's orders query read with the shops query's path: before, 0 of 130 orders and a green run
        assertThatThrownBy(() -> new RecordsPath("data.datas").records(ORDERS, false, "jushuitan /open/orders/single/query page 1", "{}"))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("the records path 'data.datas' finds nothing")
                .hasMessageContaining("[code, data, msg]")
                .hasMessageContaining("[data_count, has_next, orders, page_index]");
    }

    @Test
    void dottedPathsAndJsonPointersFindTheSameRecords() {
        assertThat(new RecordsPath("data.orders").records(ORDERS, false, "q", "")).hasSize(1);
        assertThat(new RecordsPath("/data/orders").records(ORDERS, false, "q", "")).hasSize(1);
        assertThat(new RecordsPath("/").records(List.of(Map.of("a", 1)), false, "q", "")).hasSize(1);
    }

    @Test
    void aMissingListIsAnEmptyPageOnlyWhenTheSourceSaysItHasNothing() {
        Map<String, Object> none = Map.of("code", 0, "data", Map.of("data_count", 0));
        assertThat(new RecordsPath("data.orders").records(none, true, "q", "")).isEmpty();
        assertThatThrownBy(() -> new RecordsPath("data.orders").records(none, false, "q", "")).isInstanceOf(SourceException.class);
    }

    @Test
    void somethingThatIsNotAListOfObjectsIsAnError() {
        assertThatThrownBy(() -> new RecordsPath("data").records(ORDERS, false, "q", ""))
                .hasMessageContaining("finds an object, not a list of records").hasMessageContaining("orders");
        assertThatThrownBy(() -> new RecordsPath("xs").records(Map.of("xs", List.of(1, 2)), false, "q", ""))
                .hasMessageContaining("record 0 at 'xs' is a number");
    }
}
