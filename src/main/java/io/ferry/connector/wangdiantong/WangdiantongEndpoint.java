package io.ferry.connector.wangdiantong;

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
import io.ferry.kernel.Paging;
import io.ferry.kernel.Records;
import io.ferry.kernel.RunContext;
import io.ferry.connector.wangdiantong.WangdiantongComponent.Style;

/**
 * One paged Wangdiantong query ({@code wangdiantong:shops?pageSize=50}); each call of its producer reads the run's
 * next page into the body as the list of {@code details[]} records. Paging ends on {@code total_count} when the
 * answer carries it, otherwise on a short page.
 */
public class WangdiantongEndpoint extends DefaultEndpoint {

    /** A query by its short name: the direct method and the Qimen method. */
    private record Query(String direct, String qimen) {
    }

    private static final Map<String, Query> QUERIES = Map.of(
            "shops", new Query("setting.Shop.queryShop", "wdt.setting.shop.queryshop"));

    /** Page numbers start at 0 on the direct API and at 1 on Qimen (protocols.md §2.2). */
    static int firstPage(Style style) {
        return style == Style.DIRECT ? 0 : 1;
    }

    private final String name;
    private int pageSize = 50;
    private String params = "{}";
    private String method;
    private Map<String, Object> businessParams;

    WangdiantongEndpoint(String uri, WangdiantongComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    void validate() {
        if (pageSize < 1 || pageSize > 100) {
            throw new IllegalArgumentException(getEndpointUri() + ": pageSize must be between 1 and 100");
        }
        if (method == null && !QUERIES.containsKey(name)) {
            throw new IllegalArgumentException(getEndpointUri() + ": unknown query '" + name + "' (known: " + QUERIES.keySet()
                    + "); name another with the method parameter");
        }
        try {
            businessParams = new ObjectMapper().readValue(params, new TypeReference<Map<String, Object>>() {
            });
        } catch (Exception e) {
            throw new IllegalArgumentException(getEndpointUri() + ": params is not a JSON object: " + e.getMessage(), e);
        }
    }

    String method(Style style) {
        if (method != null) {
            return method;
        }
        Query q = QUERIES.get(name);
        return style == Style.DIRECT ? q.direct() : q.qimen();
    }

    @Override
    public Producer createProducer() {
        WangdiantongComponent component = (WangdiantongComponent) getComponent();
        return new DefaultProducer(this) {
            // made on first use, not when the route warms up: a route of a sync that is not configured warms up too
            private Style style;
            private String apiMethod;
            private volatile WangdiantongClient client; // written last: once set, style and apiMethod are too

            @Override
            public void process(Exchange exchange) {
                if (client == null) {
                    WangdiantongClient c = component.client();
                    style = component.style();
                    apiMethod = method(style);
                    client = c;
                }
                RunContext run = RunContext.of(exchange);
                Paging paging = run.paging();
                int base = firstPage(style);
                int page = paging.pageNumber(base);
                WangdiantongClient.Page result = client.page(new Caller(run.syncName(), run.runId()), style, apiMethod, page,
                        pageSize, businessParams);
                List<Map<String, Object>> records = result.records();
                boolean more = result.totalCount() != null ? Paging.moreByTotal(result.totalCount(), page, base, pageSize)
                        : records.size() >= pageSize;
                if (result.totalCount() != null) {
                    paging.setTotal(result.totalCount());
                }
                boolean fresh = paging.received(records.size(), more, Records.keyFingerprint(records, run.keyField()));
                exchange.getIn().setBody(fresh ? records : List.of());
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("wangdiantong: is a producer: call it from a sync route's paging loop");
    }

    public int getPageSize() {
        return pageSize;
    }

    public void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    /** Business parameters as a JSON object, e.g. {@code {"platform_id":127}}. */
    public String getParams() {
        return params;
    }

    public void setParams(String params) {
        this.params = params;
    }

    /** Overrides the API method (its full name in the configured style). */
    public String getMethod() {
        return method;
    }

    public void setMethod(String method) {
        this.method = method;
    }
}
