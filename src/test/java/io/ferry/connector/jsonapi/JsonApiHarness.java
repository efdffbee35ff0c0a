package io.ferry.connector.jsonapi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

import io.ferry.http.ApiCall;
import io.ferry.http.ApiCallRecorder;
import io.ferry.kernel.Paging;
import io.ferry.kernel.RunContext;
import io.ferry.sandbox.JsonApiSimulator;

/**
 * jsonapi: endpoints in a Camel context of their own against the JSON API simulator, with every API call recorded as
 * the API-call log would get it (before the log's own safety-net masking) and the token in a property.
 */
final class JsonApiHarness implements AutoCloseable {

    static final String TOKEN = "tok-3f9a1c77e2b84d05";
    static final String TOKEN_PROPERTY = "test.jsonapi.token";

    /** A run as a sync route carries it: its paging state and key field. */
    static final class Run implements RunContext {
        final Paging paging = new Paging(1000);

        @Override
        public String syncName() {
            return "jsonapi-test";
        }

        @Override
        public long runId() {
            return 7;
        }

        @Override
        public Paging paging() {
            return paging;
        }

        @Override
        public String keyField() {
            return "order_no";
        }
    }

    final JsonApiSimulator api;
    final CamelContext camel;
    final ProducerTemplate template;
    final List<ApiCall> calls = Collections.synchronizedList(new ArrayList<>());

    JsonApiHarness(int records, int requestsPerSecond) {
        api = new JsonApiSimulator(TOKEN, records, requestsPerSecond);
        api.start();
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("apiCalls", ApiCallRecorder.class, (ApiCallRecorder) calls::add);
        camel.getPropertiesComponent().addInitialProperty(TOKEN_PROPERTY, TOKEN);
        camel.start();
        template = camel.createProducerTemplate();
    }

    String url(String path) {
        return api.url() + path;
    }

    /** Reads every page of the source as a sync's loop does; returns the records in the order read. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> readAll(String uri) {
        Run run = new Run();
        List<Map<String, Object>> all = new ArrayList<>();
        int guard = 0;
        while (run.paging().hasMore()) {
            if (++guard > 200) {
                throw new AssertionError("paging did not end");
            }
            Exchange out = template.send(uri, ex -> ex.setProperty(RunContext.PROPERTY, run));
            if (out.getException() != null) {
                throw out.getException() instanceof RuntimeException re ? re : new RuntimeException(out.getException());
            }
            all.addAll(out.getMessage().getBody(List.class));
        }
        return all;
    }

    @Override
    public void close() {
        camel.stop();
        api.close();
    }
}
