package io.ferry.kernel.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.ferry.kernel.Paging;
import io.ferry.kernel.RunContext;
import io.ferry.kernel.SourceException;

/** The paging protocol once for every source: each paging style and end guard against an in-memory API of 23 records. */
class SourceProducerTest {

    private static final int RECORDS = 23;

    private final CamelContext camel = new DefaultCamelContext();
    private final List<PageRequest> asked = new ArrayList<>();

    @AfterEach
    void stop() {
        camel.stop();
    }

    private static final class Run implements RunContext {
        final Paging paging = new Paging(100);

        public String syncName() {
            return "test";
        }

        public long runId() {
            return 1;
        }

        public Paging paging() {
            return paging;
        }

        public String keyField() {
            return "id";
        }
    }

    private static final class Endpoint extends SourceEndpoint {
        final SourceDefaults defaults;
        final PageFetcher fetcher;

        Endpoint(CamelContext camel, SourceDefaults defaults, PageFetcher fetcher) {
            super("test:source", new DefaultComponent(camel) {
                @Override
                protected org.apache.camel.Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
                    throw new UnsupportedOperationException();
                }
            });
            setCamelContext(camel);
            this.defaults = defaults;
            this.fetcher = fetcher;
        }

        protected PageFetcher fetcher() {
            return fetcher;
        }

        protected SourceDefaults defaults() {
            return defaults;
        }

        protected String what() {
            return "test";
        }
    }

    private static List<Map<String, Object>> slice(long from, int size) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (long i = from; i < Math.min(RECORDS, from + size); i++) {
            out.add(Map.of("id", i + 1));
        }
        return out;
    }

    /** Reads the whole source, page by page, as a sync route's loop would; returns the ids read. */
    private List<Object> readAll(SourceDefaults defaults, Function<PageRequest, PageAnswer> api) throws Exception {
        Endpoint e = new Endpoint(camel, defaults, r -> {
            asked.add(r);
            return api.apply(r);
        });
        e.setPageAhead(false);
        return drive(e);
    }

    /** Calls the endpoint's producer as a sync route's loop does, until paging ends; returns the ids read. */
    private List<Object> drive(Endpoint e) throws Exception {
        e.validateSource();
        Producer producer = e.createProducer();
        producer.start();
        Run run = new Run();
        List<Object> ids = new ArrayList<>();
        while (run.paging.continueLoop()) {
            Exchange ex = new DefaultExchange(camel);
            ex.setProperty(RunContext.PROPERTY, run);
            producer.process(ex);
            for (Object r : ex.getIn().getBody(List.class)) {
                ids.add(((Map<?, ?>) r).get("id"));
            }
        }
        producer.stop();
        return ids;
    }

    @Test
    void byPageNumberFromOneEndingOnHasNext() throws Exception {
        List<Object> ids = readAll(new SourceDefaults("{\"p\":\"${page}\",\"n\":\"${pageSize}\"}", "data.items", "hasNext:data.more",
                PagingStyle.PAGE, 1, 5, 10), r -> {
                    int p = (Integer) r.params().get("p");
                    return new PageAnswer(Map.of("data", Map.of("items", slice((p - 1) * 5L, 5), "more", p * 5 < RECORDS)), "");
                });
        assertThat(ids).hasSize(RECORDS).doesNotHaveDuplicates();
        assertThat(asked).extracting(r -> r.params().get("p")).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void byOffsetAndLimitEndingOnAShortPage() throws Exception {
        List<Object> ids = readAll(new SourceDefaults("{\"offset\":\"${offset}\",\"limit\":\"${pageSize}\"}", "/", "short",
                PagingStyle.OFFSET, 0, 10, 10), r -> new PageAnswer(slice((Long) r.params().get("offset"), 10), ""));
        assertThat(ids).hasSize(RECORDS).doesNotHaveDuplicates();
        assertThat(asked).extracting(r -> r.params().get("offset")).containsExactly(0L, 10L, 20L);
    }

    @Test
    void byTheCursorTheAnswerGivesAndByTheLastRecord() throws Exception {
        List<Object> ids = readAll(new SourceDefaults("{\"after\":\"${cursor}\"}", "items", "cursor:next", PagingStyle.CURSOR, 0, 7, 7), r -> {
            long from = r.params().get("after") == null ? 0 : Long.parseLong((String) r.params().get("after"));
            long next = from + 7;
            return new PageAnswer(Map.of("items", slice(from, 7), "next", next < RECORDS ? String.valueOf(next) : ""), "");
        });
        assertThat(ids).hasSize(RECORDS).doesNotHaveDuplicates();
        assertThat(asked.get(0).params()).doesNotContainKey("after");
        asked.clear();
        SourceDefaults afterLast = new SourceDefaults("{\"offset\":\"${cursor}\"}", "data", "empty", PagingStyle.LAST_RECORD, 0, 100, 1000);
        Endpoint e = new Endpoint(camel, afterLast, null);
        assertThatThrownBy(e::validateSource).hasMessageContaining("cursorField");
        List<Object> byLast = readAllLast(afterLast);
        assertThat(byLast).hasSize(RECORDS);
    }

    private List<Object> readAllLast(SourceDefaults d) throws Exception {
        Endpoint e = new Endpoint(camel, d, r -> new PageAnswer(Map.of("data", slice(Long.parseLong(r.cursor()), 4)), ""));
        e.setCursorField("id");
        e.setInitialCursor("0");
        return drive(e);
    }

    @Test
    void aSourceThatIgnoresThePageParameterIsReadOnce() throws Exception {
        List<Object> ids = readAll(new SourceDefaults("{\"p\":\"${page}\"}", "/", "empty", PagingStyle.PAGE, 1, 5, 10),
                r -> new PageAnswer(slice(0, 5), ""));
        assertThat(ids).hasSize(5);
        assertThat(asked).hasSize(2);
    }

    @Test
    void aCursorThatRepeatsItselfFailsInsteadOfLooping() {
        assertThatThrownBy(() -> readAll(new SourceDefaults("{\"after\":\"${cursor}\"}", "items", "cursor:next", PagingStyle.CURSOR, 0, 7, 7),
                r -> new PageAnswer(Map.of("items", slice(r.cursor() == null ? 0 : 7, 7), "next", "7"), "")))
                .isInstanceOf(SourceException.class).hasMessageContaining("gives the cursor it was asked for");
    }

    @Test
    void aPageSizeOverTheApisMaximumIsRefusedWhenTheRouteStarts() {
        Endpoint e = new Endpoint(camel, new SourceDefaults("{}", "/", "short", PagingStyle.PAGE, 1, 5, 10), null);
        e.setPageSize(11);
        assertThatThrownBy(e::validateSource).hasMessageContaining("between 1 and 10");
        Endpoint noRecords = new Endpoint(camel, new SourceDefaults("{}", null, "short", PagingStyle.PAGE, 1, 5, 10), null);
        assertThatThrownBy(noRecords::validateSource).hasMessageContaining("'records' is required");
    }
}
