package io.ferry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.ferry.kernel.TransientException;
import io.ferry.mapping.JsonataMapping;

/**
 * ferry:map on a page whose step Camel tries again (a dead letter that could not be written for a lost connection)
 * goes on from the record it stopped at: no record is mapped, counted or dead-lettered twice, and the page's rows come
 * out once each, in order.
 */
class PageStepsTriedAgainTest {

    /** Dead letters that fail the first time, as a state database that just dropped its connection does. */
    private static final class FlakyDeadLetters extends DeadLetters {
        final List<Object> rejected = new ArrayList<>();
        int failuresLeft = 1;

        FlakyDeadLetters() {
            super(null);
        }

        @Override
        void reject(SyncRun run, String key, Object record, String why) {
            if (failuresLeft-- > 0) {
                throw new TransientException("connection lost");
            }
            rejected.add(record);
            run.rejected(why);
        }
    }

    @Test
    void aMappingStepTriedAgainGoesOnFromTheRecordItStoppedAt() throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        FerryComponent component = new FerryComponent();
        component.setCamelContext(camel);
        FerryEndpoint endpoint = new FerryEndpoint("ferry:map", component, FerryEndpoint.Operation.MAP);
        JsonataMapping mapping = JsonataMapping.parse("test", "bad ? $error(\"bad record\") : {\"id\": id}");
        FlakyDeadLetters deadLetters = new FlakyDeadLetters();
        MapProducer map = new MapProducer(endpoint, mapping, deadLetters);

        SyncRun run = new SyncRun(new SyncSettings("s", "id", 100, false, null), 1);
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(SyncRun.PROPERTY, run);
        List<Map<String, Object>> page = List.of(Map.of("id", "1"), Map.of("id", "2"), Map.of("id", "3", "bad", true),
                Map.of("id", "4"));
        exchange.getIn().setBody(page);

        assertThatThrownBy(() -> map.process(exchange)).isInstanceOf(TransientException.class);
        // Camel's redelivery calls the step again with the same exchange
        map.process(exchange);

        @SuppressWarnings("unchecked")
        List<Batch.Row> rows = exchange.getIn().getHeader(MapProducer.ROWS, List.class);
        assertThat(rows).extracting(Batch.Row::key).containsExactly("1", "2", "4");
        assertThat(exchange.getIn().getBody(List.class)).containsExactly(Map.of("id", "1"), Map.of("id", "2"), Map.of("id", "4"));
        assertThat(deadLetters.rejected).containsExactly(page.get(2));
        assertThat(run.failed()).isEqualTo(1);
        // four records tried: the one whose step was tried again counts once
        assertThat(run.tried()).isEqualTo(4);
    }
}
