package io.ferry.connector.wangdiantong;

import java.util.Map;

import org.apache.camel.Category;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;

import io.ferry.connector.wangdiantong.WangdiantongComponent.Style;
import io.ferry.http.ApiHttp.Caller;
import io.ferry.kernel.source.PageAnswer;
import io.ferry.kernel.source.PageFetcher;
import io.ferry.kernel.source.PagingStyle;
import io.ferry.kernel.source.SourceDefaults;
import io.ferry.kernel.source.SourceEndpoint;

/**
 * Any Wangdiantong 旗舰版 query as a paged source, in the configured style: {@code wangdiantong:shops} (a known query by
 * its short name) or {@code wangdiantong:trades?method=sales.TradeQuery.queryWithDetail}. The request parameters are
 * the business arguments; page_no and page_size are the protocol's (system parameters on the direct API, the
 * {@code pager} on Qimen; page_no from 0 on the direct API, from 1 on Qimen). The answer is read as
 * {@code {"data":{…},"total":…}} in both styles.
 */
@UriEndpoint(scheme = "wangdiantong", title = "Wangdiantong", syntax = "wangdiantong:name", producerOnly = true,
        category = { Category.SAAS })
public class WangdiantongEndpoint extends SourceEndpoint {

    /** A known query: its direct method, its Qimen method and where its records are. */
    record Query(String direct, String qimen, String records) {
    }

    static final Map<String, Query> QUERIES = Map.of(
            "shops", new Query("setting.Shop.queryShop", "wdt.setting.shop.queryshop", "data.details"),
            "trades", new Query("sales.TradeQuery.queryWithDetail", "wdt.sales.tradequery.querywithdetail", "data.order"),
            "goods", new Query("goods.Goods.queryWithSpec", "wdt.goods.goods.querywithspec", "data.goods_list"));

    /** Page numbers start at 0 on the direct API and at 1 on Qimen (protocols.md §2.2). */
    static int firstPage(Style style) {
        return style == Style.DIRECT ? 0 : 1;
    }

    @UriPath(description = "A known query's short name (shops, trades, goods), or any name when method is given")
    @Metadata(required = true)
    private final String name;
    @UriParam(description = "The API method in the configured style, e.g. sales.TradeQuery.queryWithDetail (direct) or"
            + " wdt.sales.tradequery.querywithdetail (Qimen); defaults to the known query's")
    private String method;

    WangdiantongEndpoint(String uri, WangdiantongComponent component, String name) {
        super(uri, component);
        this.name = name;
    }

    @Override
    public void validateSource() {
        if (method == null && !QUERIES.containsKey(name)) {
            throw new IllegalArgumentException(getEndpointUri() + ": unknown query '" + name + "' (known: " + QUERIES.keySet()
                    + "); name the API method with the method parameter");
        }
        super.validateSource();
    }

    /** The configured style; an unusable one reads as direct here (its sync is reported not configured and kept stopped). */
    private Style style() {
        try {
            return ((WangdiantongComponent) getComponent()).style();
        } catch (IllegalArgumentException e) {
            return Style.DIRECT;
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
    protected SourceDefaults defaults() {
        Query known = QUERIES.get(name);
        String records = known != null && (method == null || method.equals(known.direct()) || method.equals(known.qimen()))
                ? known.records() : null;
        return new SourceDefaults("{}", records, "total:data.total_count,total:total,short", PagingStyle.PAGE,
                firstPage(style()), 50, 100);
    }

    /** sales.TradeQuery.queryWithDetail takes at most 60 minutes between start_time and end_time. */
    @Override
    public java.time.Duration maxWindow() {
        return "trades".equals(name) ? java.time.Duration.ofMinutes(60) : null;
    }

    /** Wangdiantong's times: yyyy-MM-dd HH:mm:ss in China time. */
    @Override
    public java.time.format.DateTimeFormatter windowFormat() {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(WangdiantongClient.CHINA);
    }

    @Override
    protected String what() {
        return "wangdiantong " + (method != null ? method : name);
    }

    @Override
    protected PageFetcher fetcher() {
        WangdiantongComponent component = (WangdiantongComponent) getComponent();
        WangdiantongClient client = component.client();
        Style style = component.style();
        String apiMethod = method(style);
        return request -> {
            Map<String, Object> answer = client.page(new Caller(request.run().syncName(), request.run().runId()), style, apiMethod,
                    request.page(), request.pageSize(), request.params());
            return PageAnswer.writtenOnDemand(answer, answer);
        };
    }

    public String getMethod() {
        return method;
    }

    public void setMethod(String method) {
        this.method = method;
    }
}
