package io.ferry.vendor.jushuitan;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

import io.ferry.http.ApiHttp.Caller;
import io.ferry.paging.Paging;
import io.ferry.pipeline.Records;
import io.ferry.pipeline.SyncRun;

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
        JushuitanClient client = ((JushuitanComponent) getComponent()).client();
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) {
                SyncRun run = SyncRun.of(exchange);
                Paging paging = run.paging();
                int page = paging.pageNumber(FIRST_PAGE);
                JushuitanClient.Page result = client.page(new Caller(run.syncName(), run.runId()), path, page, pageSize, extraBiz);
                List<Map<String, Object>> records = result.records();
                boolean more = result.hasNext() != null ? result.hasNext()
                        : result.pageCount() != null ? page < result.pageCount() : records.size() >= pageSize;
                boolean fresh = paging.received(records.size(), more, Records.keyFingerprint(records, run.settings().keyField()));
                exchange.getIn().setBody(fresh ? records : List.of());
            }
        };
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
