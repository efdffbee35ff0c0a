package io.ferry.reconcile;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultExchange;

import io.ferry.kernel.Paging;
import io.ferry.kernel.RunContext;
import io.ferry.kernel.source.SourceEndpoint;

/**
 * Reads the target's rows through the sync's {@code reconcileTarget} endpoint, read only: a {@code sql:} SELECT (its
 * answer, one map per row; the window's bounds in the headers {@code windowStart} and {@code windowEnd}, named
 * {@code :#windowStart} in the statement, as text in the target's zone) or a Ferry source endpoint such as
 * {@code kingdee:query} (read page after page to its end, the window's bounds as its {@code ${windowStart}} and
 * {@code ${windowEnd}}, as a run's source gets them).
 */
final class TargetRows {

    private static final DateTimeFormatter SQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final int MAX_PAGES = 100_000;

    private TargetRows() {
    }

    /**
     * @param from the window's start, or null for a sync not read by window
     * @param to   the window's end, or null
     */
    static List<Map<String, Object>> read(CamelContext camel, ReconcileSpec spec, Instant from, Instant to) {
        Endpoint endpoint;
        try {
            endpoint = camel.getEndpoint(spec.target());
        } catch (RuntimeException e) {
            throw new CannotReconcileException(spec.sync() + ": its reconcileTarget " + spec.target() + " is not an endpoint: "
                    + e.getMessage(), e);
        }
        if (endpoint instanceof SourceEndpoint) {
            return pages(camel, spec, endpoint, from, to);
        }
        Exchange out = camel.createProducerTemplate().send(endpoint, ex -> {
            if (from != null) {
                ex.getIn().setHeader("windowStart", LocalDateTime.ofInstant(from, spec.zone()).format(SQL_TIME));
                ex.getIn().setHeader("windowEnd", LocalDateTime.ofInstant(to, spec.zone()).format(SQL_TIME));
            }
        });
        if (out.getException() != null) {
            throw new IllegalStateException("reading the target through " + endpoint.getEndpointBaseUri() + " failed: "
                    + out.getException().getMessage(), out.getException());
        }
        return rows(spec, out.getMessage().getBody());
    }

    private static List<Map<String, Object>> pages(CamelContext camel, ReconcileSpec spec, Endpoint endpoint, Instant from, Instant to) {
        Paging paging = new Paging(MAX_PAGES);
        Map<String, Object> placeholders = from == null ? Map.of() : Map.of("windowStart", from, "windowEnd", to);
        RunContext context = new ReadContext(spec.sync(), paging, spec.targetKey(), placeholders);
        Producer producer;
        try {
            // not started: a started source producer would read the next page ahead on a thread of its own
            producer = endpoint.createProducer();
        } catch (Exception e) {
            throw new IllegalStateException(endpoint.getEndpointBaseUri() + ": " + e.getMessage(), e);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        while (paging.continueLoop()) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.setProperty(RunContext.PROPERTY, context);
            try {
                producer.process(exchange);
            } catch (Exception e) {
                throw new IllegalStateException("reading the target through " + endpoint.getEndpointBaseUri() + " failed: "
                        + e.getMessage(), e);
            }
            if (exchange.getException() != null) {
                throw new IllegalStateException("reading the target through " + endpoint.getEndpointBaseUri() + " failed: "
                        + exchange.getException().getMessage(), exchange.getException());
            }
            rows.addAll(rows(spec, exchange.getIn().getBody()));
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(ReconcileSpec spec, Object body) {
        if (body == null) {
            return List.of();
        }
        if (!(body instanceof List<?> list)) {
            throw new IllegalStateException(spec.sync() + ": its reconcileTarget answered " + body.getClass().getSimpleName()
                    + ", not a list of rows");
        }
        List<Map<String, Object>> out = new ArrayList<>(list.size());
        for (Object row : list) {
            if (!(row instanceof Map)) {
                throw new IllegalStateException(spec.sync() + ": its reconcileTarget answered a row that is not an object: " + row);
            }
            out.add((Map<String, Object>) row);
        }
        return out;
    }

    /** The paging state a source endpoint asks its pages by, outside any run (run id 0). */
    private record ReadContext(String syncName, Paging paging, String keyField, Map<String, Object> placeholders)
            implements RunContext {
        @Override
        public long runId() {
            return 0;
        }
    }
}
