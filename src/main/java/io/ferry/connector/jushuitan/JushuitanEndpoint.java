package io.ferry.connector.jushuitan;

import java.util.Map;

import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriPath;
import org.apache.camel.Category;
import org.apache.camel.spi.Metadata;

import io.ferry.http.ApiHttp.Caller;
import io.ferry.kernel.source.PageAnswer;
import io.ferry.kernel.source.PageFetcher;
import io.ferry.kernel.source.PagingStyle;
import io.ferry.kernel.source.SourceDefaults;
import io.ferry.kernel.source.SourceEndpoint;

/**
 * Any Jushuitan open API v2 query as a paged source ({@code jushuitan:/open/orders/single/query}): the request
 * parameters become the signed {@code biz}, with {@code page_index} (from 1) and {@code page_size} added; the records
 * path, end signal and page size default to the API's where it is known (docs/connectors/jushuitan.md).
 */
@UriEndpoint(scheme = "jushuitan", title = "Jushuitan", syntax = "jushuitan:path", producerOnly = true, category = { Category.SAAS })
public class JushuitanEndpoint extends SourceEndpoint {

    /** The API's page_index starts at 1. */
    static final int FIRST_PAGE = 1;

    /** Where the records of a known query are; any other path needs the route's records parameter. */
    static final Map<String, String> RECORDS = Map.of(
            "/open/shops/query", "data.datas",
            "/open/orders/single/query", "data.orders",
            "/open/inventory/query", "data.inventorys",
            "/open/mall/item/query", "data.datas",
            "/open/sku/query", "data.datas",
            "/open/orders/out/simple/query", "data.datas",
            "/open/logisticscompany/query", "data.datas",
            "/open/wms/partner/query", "data.datas");

    /** Queries by modified time that take at most 7 days between modified_begin and modified_end (protocols.md §3.1). */
    static final java.util.Set<String> SEVEN_DAY_WINDOWS = java.util.Set.of("/open/orders/single/query",
            "/open/orders/out/simple/query");

    /** Jushuitan's times: yyyy-MM-dd HH:mm:ss in China time. */
    static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(java.time.ZoneId.of("Asia/Shanghai"));

    @UriPath(description = "The open API path, e.g. /open/shops/query")
    @Metadata(required = true)
    private final String path;

    JushuitanEndpoint(String uri, JushuitanComponent component, String path) {
        super(uri, component);
        this.path = path;
    }

    @Override
    protected SourceDefaults defaults() {
        return new SourceDefaults("{\"page_index\":\"${page}\",\"page_size\":\"${pageSize}\"}", RECORDS.get(path),
                "hasNext:data.has_next,pages:data.page_count,short,total:data.data_count", PagingStyle.PAGE, FIRST_PAGE, 100, 100);
    }

    @Override
    public java.time.Duration maxWindow() {
        return SEVEN_DAY_WINDOWS.contains(path) ? java.time.Duration.ofDays(7) : null;
    }

    @Override
    public java.time.format.DateTimeFormatter windowFormat() {
        return TIME;
    }

    @Override
    protected String what() {
        return "jushuitan " + path;
    }

    @Override
    protected PageFetcher fetcher() {
        JushuitanClient client = ((JushuitanComponent) getComponent()).client();
        return request -> {
            Map<String, Object> answer = client.answer(new Caller(request.run().syncName(), request.run().runId()), path,
                    request.params());
            return PageAnswer.writtenOnDemand(answer, answer);
        };
    }

    public String getPath() {
        return path;
    }
}
