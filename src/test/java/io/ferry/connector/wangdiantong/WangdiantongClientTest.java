package io.ferry.connector.wangdiantong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ferry.http.ApiHttp;
import io.ferry.http.ApiHttp.Caller;
import io.ferry.kernel.RateLimitExhaustedException;
import io.ferry.kernel.SourceException;
import io.ferry.sandbox.WangdiantongSimulator;
import io.ferry.connector.wangdiantong.WangdiantongComponent.Style;

/**
 * The client's reading of every answer envelope protocols.md §2 lists (including the unconfirmed variants),
 * against the simulator, and the simulator's own checks of what a client sends.
 */
class WangdiantongClientTest {

    private static final String SECRET = "s3cret:salty";
    private WangdiantongSimulator sim;
    private WangdiantongComponent config;
    private WangdiantongClient client;

    @BeforeEach
    void start() {
        sim = new WangdiantongSimulator("sid1", "key1", SECRET, "qm-key", "qm-secret", "target", 7);
        sim.start();
        config = new WangdiantongComponent();
        config.setBaseUrl(sim.url());
        config.setQimenUrl(sim.url() + WangdiantongSimulator.QIMEN_PATH);
        config.setSid("sid1");
        config.setAppKey("key1");
        config.setAppSecret(SECRET);
        config.setQimenAppKey("qm-key");
        config.setQimenSecret("qm-secret");
        config.setTargetAppKey("target");
        config.setRateLimitPause(10);
        config.setRateLimitMaxWait(50);
        client = new WangdiantongClient(config, new ApiHttp("wangdiantong", Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    /** A page as the source reads it: records at data.details, the total at data.total_count or the top-level total. */
    private record Page(java.util.List<Map<String, Object>> records, Long totalCount) {
    }

    private Page read(Map<String, Object> answer) {
        return new Page(new io.ferry.kernel.source.RecordsPath("data.details").records(answer, false, "test", ""),
                io.ferry.kernel.source.EndSignal.parse("total:data.total_count,total:total,short").read(answer, Map.of(), 0, 1, 5, 0).total());
    }

    private Page page(Style style, int pageNo) {
        String method = style == Style.DIRECT ? "setting.Shop.queryShop" : "wdt.setting.shop.queryshop";
        return read(client.page(Caller.NONE, style, method, pageNo, 5, Map.of()));
    }

    @Test
    void readsDetailsAndTotalCountInBothStyles() {
        Page direct = page(Style.DIRECT, 1);
        assertThat(direct.totalCount()).isEqualTo(7);
        assertThat(direct.records()).extracting(r -> r.get("shop_no")).containsExactly("WDT000005", "WDT000006");
        Page qimen = page(Style.QIMEN, 2);
        assertThat(qimen.totalCount()).isEqualTo(7);
        assertThat(qimen.records()).extracting(r -> r.get("shop_no")).containsExactly("WDT000005", "WDT000006");
        // Qimen's method name variant is served too
        assertThat(read(client.page(Caller.NONE, Style.QIMEN, "wdt.shop.query", 1, 5, Map.of("shop_no", "WDT000003"))).records())
                .extracting(r -> r.get("shop_name")).containsExactly("旺店通测试店铺3");
    }

    @Test
    void acceptsTheUnconfirmedEnvelopeVariants() {
        // the official Java SDK's top-level total instead of data.total_count
        sim.overridePage(0, 200, "application/json", "{\"status\":0,\"total\":12,\"data\":{\"details\":[{\"shop_no\":\"A\"}]}}");
        assertThat(page(Style.DIRECT, 0).totalCount()).isEqualTo(12);
        // a Qimen success with flag "success" and no status, and no total at all
        sim.overridePage(1, 200, "application/json", "{\"response\":{\"flag\":\"success\",\"data\":{\"details\":[{\"shop_no\":\"B\"}]}}}");
        Page qimen = page(Style.QIMEN, 1);
        assertThat(qimen.totalCount()).isNull();
        assertThat(qimen.records()).hasSize(1);
        // the plain TOP error envelope
        sim.overridePage(1, 200, "application/json",
                "{\"error_response\":{\"code\":25,\"msg\":\"Invalid signature\",\"sub_code\":\"isv.invalid-signature\"}}");
        assertThatThrownBy(() -> page(Style.QIMEN, 1)).isInstanceOf(SourceException.class)
                .hasMessageContaining("answered status 25: Invalid signature (isv.invalid-signature)")
                .hasMessageContaining("qimen-app-key, qimen-secret and target-app-key");
    }

    @Test
    void aRouterRefusalNamesTheQimenSettings() {
        config.setQimenSecret("not-it");
        assertThatThrownBy(() -> page(Style.QIMEN, 1)).isInstanceOf(SourceException.class)
                .hasMessageContaining("answered status 25: Invalid signature")
                .hasMessageContaining("qimen-app-key, qimen-secret and target-app-key");
    }

    @Test
    void theRateLimitIsWaitedOutThenGivenUpOn() {
        sim.rateLimitNext(2, true);
        assertThat(page(Style.DIRECT, 0).records()).hasSize(5);
        assertThat(sim.rateLimitAnswers()).isEqualTo(2);
        sim.rateLimitNext(100, false);
        assertThatThrownBy(() -> page(Style.QIMEN, 1)).isInstanceOf(RateLimitExhaustedException.class)
                .hasMessageContaining(WangdiantongSimulator.RATE_LIMIT_MESSAGE);
        // a per-minute limit of the simulator itself answers the same way
        sim.rateLimitNext(0, false);
        sim.rateLimit(1);
        page(Style.DIRECT, 0);
        assertThatThrownBy(() -> page(Style.DIRECT, 0)).isInstanceOf(RateLimitExhaustedException.class);
    }

    @Test
    void theSimulatorRefusesAStaleOrMillisecondTimestampAPageTooLargeAndAQimenPageZero() throws Exception {
        long now = System.currentTimeMillis() / 1000 - WangdiantongClient.EPOCH_2012;
        assertThat(rawDirect(String.valueOf(now), 50)).contains("\"status\":0");
        assertThat(rawDirect(String.valueOf(now - 121), 50)).contains("\"status\":7");
        assertThat(rawDirect(String.valueOf(System.currentTimeMillis()), 50))
                .contains("\"status\":1").contains("For input string");
        assertThat(rawDirect(String.valueOf(now), 101)).contains("\"status\":1").contains("page_size");
        assertThatThrownBy(() -> page(Style.QIMEN, 0)).isInstanceOf(SourceException.class).hasMessageContaining("页码从1开始");
    }

    /** A direct call signed correctly with the given timestamp and page size. */
    private String rawDirect(String timestamp, int pageSize) throws Exception {
        String body = "[{}]";
        Map<String, String> q = new LinkedHashMap<>();
        q.put("sid", "sid1");
        q.put("key", "key1");
        q.put("salt", "salty");
        q.put("method", "setting.Shop.queryShop");
        q.put("v", "1.0");
        q.put("timestamp", timestamp);
        q.put("page_size", String.valueOf(pageSize));
        q.put("page_no", "0");
        Map<String, String> signed = new LinkedHashMap<>(q);
        signed.put("body", body);
        q.put("sign", WangdiantongSigner.direct("s3cret", signed));
        String query = q.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest req = HttpRequest.newBuilder(URI.create(sim.url() + "/openapi?" + query))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void anUnknownMethodSaysSoInsteadOfBlamingTheKeys() {
        assertThatThrownBy(() -> client.page(Caller.NONE, Style.DIRECT, "goods.Nope.query", 0, 5, Map.of()))
                .isInstanceOf(SourceException.class).hasMessageContaining("方法不存在")
                .hasMessageContaining("Wangdiantong does not know this method").hasMessageNotContaining("check camel.component.wangdiantong.sid");
    }
}
