package io.ferry.connector.jushuitan;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

import io.ferry.http.ApiHttp.Caller;
import io.ferry.kernel.Paging;
import io.ferry.kernel.Records;
import io.ferry.kernel.RunContext;
import io.ferry.kernel.TransientException;

/** One paged Jushuitan query; each call of its producer reads the run's next page into the body as a list. */
public class JushuitanEndpoint extends DefaultEndpoint {

    /** The API's page_index starts at 1. */
    static final int FIRST_PAGE = 1;

    private final String path;
    private int pageSize = 100;
    private String biz = "{}";
    private Map<String, Object> extraBiz;

    JushuitanEndpoint(String uri, JushuitanComponent component, String path) {
        super(uri, component);
        this.path = path;
    }

    void validate() {
        if (pageSize < 1 || pageSize > 100) {
            throw new IllegalArgumentException(getEndpointUri() + ": pageSize must be between 1 and 100 (the API's maximum)");
        }
        try {
            extraBiz = new ObjectMapper().readValue(biz, new TypeReference<Map<String, Object>>() {
            });
        } catch (Exception e) {
            throw new IllegalArgumentException(getEndpointUri() + ": biz is not a JSON object: " + e.getMessage(), e);
        }
    }

    @Override
    public Producer createProducer() {
        return new PagingProducer(this, (JushuitanComponent) getComponent());
    }

    /**
     * Reads the run's next page, and asks for the page after it in the background while the route works on this
     * one: the wait for the vendor overlaps the mapping, the dedup query and the writing instead of adding to
     * them (docs/benchmarks.md). The page asked ahead is used only by the same run for the page number it was
     * asked for; its failure surfaces when it is used, on the route's thread, so the route's retries and error
     * handling see it as before and ask again themselves.
     */
    private final class PagingProducer extends DefaultProducer {

        private record Ahead(RunContext run, int page, Future<JushuitanClient.Page> result) {
        }

        private final JushuitanComponent component;
        private JushuitanClient client;
        private ExecutorService executor;
        private Ahead ahead;

        PagingProducer(JushuitanEndpoint endpoint, JushuitanComponent component) {
            super(endpoint);
            this.component = component;
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            executor = getEndpoint().getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this,
                    "jushuitan-page-ahead");
        }

        @Override
        protected void doStop() throws Exception {
            if (executor != null) {
                getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(executor);
                executor = null;
            }
            super.doStop();
        }

        @Override
        public void process(Exchange exchange) {
            RunContext run = RunContext.of(exchange);
            if (client == null) {
                // made on first use, not when the route warms up: a route of a sync that is not configured warms up too
                client = component.client();
            }
            JushuitanClient client = this.client;
            Paging paging = run.paging();
            int page = paging.pageNumber(FIRST_PAGE);
            Caller caller = new Caller(run.syncName(), run.runId());
            JushuitanClient.Page result = takeAhead(run, page);
            if (result == null) {
                result = client.page(caller, path, page, pageSize, extraBiz);
            }
            List<Map<String, Object>> records = result.records();
            boolean more = result.hasNext() != null ? result.hasNext()
                    : result.pageCount() != null ? page < result.pageCount() : records.size() >= pageSize;
            boolean fresh = paging.received(records.size(), more, Records.keyFingerprint(records, run.keyField()));
            if (paging.hasMore() && executor != null) {
                int next = paging.pageNumber(FIRST_PAGE);
                ahead = new Ahead(run, next, executor.submit(() -> client.page(caller, path, next, pageSize, extraBiz)));
            }
            exchange.getIn().setBody(fresh ? records : List.of());
        }

        /** The page asked ahead when it is the one wanted now, else null (and a stale one is dropped). */
        private JushuitanClient.Page takeAhead(RunContext run, int page) {
            Ahead a = ahead;
            ahead = null;
            if (a == null) {
                return null;
            }
            if (a.run() != run || a.page() != page) {
                a.result().cancel(true);
                return null;
            }
            try {
                return a.result().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransientException("interrupted while waiting for page " + page, e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw new TransientException("page " + page + " could not be read: " + cause, cause);
            }
        }
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("jushuitan: is a producer: call it from a sync route's paging loop");
    }

    public int getPageSize() {
        return pageSize;
    }

    public void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    public String getBiz() {
        return biz;
    }

    public void setBiz(String biz) {
        this.biz = biz;
    }
}
