package io.ferry.connector.wangdiantong;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;

import io.ferry.config.SettingProblem;
import io.ferry.connector.PacedConnectorComponent;
import io.ferry.http.CallBudget;
import io.ferry.http.Pacer;

/**
 * {@code wangdiantong:shops?pageSize=50} reads one page of the Wangdiantong 旗舰版 shop query per call. The
 * account's credentials are component options, set from properties ({@code camel.component.wangdiantong.sid} …)
 * that the environment overrides. {@code style} chooses the transport: {@code direct} (the OpenAPI,
 * {@code setting.Shop.queryShop}) or {@code qimen} (the Qimen custom API, {@code wdt.setting.shop.queryshop}).
 */
public class WangdiantongComponent extends PacedConnectorComponent {

    public enum Style { DIRECT, QIMEN }

    @Metadata(defaultValue = "direct", enums = "direct,qimen", description = "The transport: direct (the OpenAPI at"
            + " baseUrl) or qimen (the Qimen custom API at qimenUrl).")
    private String style = "direct";
    @Metadata(defaultValue = "http://wdt.wangdian.cn", description = "The OpenAPI's root (style direct); /openapi is"
            + " appended to it.")
    private String baseUrl = "http://wdt.wangdian.cn";
    @Metadata(label = "security", description = "The seller account (sid; wdt3_customer_id on Qimen).")
    private String sid;
    @Metadata(label = "security", description = "The app's key (key on the direct API, wdt_appkey on Qimen).")
    private String appKey;
    /** delivered by Wangdiantong as {@code secret:salt} */
    @Metadata(label = "security", secret = true, description = "The app's secret as Wangdiantong delivers it, secret:salt"
            + " (split on the first colon): the secret signs every request and is never sent, the salt is sent.")
    private String appSecret;
    @Metadata(defaultValue = "http://3ldsmu02o9.api.taobao.com/router/qm", description = "The Qimen router's URL (style"
            + " qimen).")
    private String qimenUrl = "http://3ldsmu02o9.api.taobao.com/router/qm";
    @Metadata(label = "security", description = "The Qimen app's key (app_key of every Qimen request).")
    private String qimenAppKey;
    @Metadata(label = "security", secret = true, description = "The Qimen app's secret: signs every Qimen request (sign),"
            + " never sent.")
    private String qimenSecret;
    @Metadata(label = "security", description = "The app key of Wangdiantong's Qimen app (target_app_key of every Qimen"
            + " request).")
    private String targetAppKey;
    private WangdiantongClient client;

    public WangdiantongComponent() {
        // no numbers are published (protocols.md §2.1): these are the sandbox's, and a lower limit is learned from refusals
        super("wangdiantong", 10_000, 30_000, new CallBudget.Limits(0, 300, 5), 1000, 60_000, 600_000);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        WangdiantongEndpoint endpoint = new WangdiantongEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validateSource();
        return endpoint;
    }

    Style style() {
        try {
            return Style.valueOf(style.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("camel.component.wangdiantong.style is '" + style + "': expected direct or qimen");
        }
    }

    @Override
    protected void checkSettings(List<SettingProblem> problems) {
        Style s;
        try {
            s = style();
        } catch (IllegalArgumentException e) {
            problems.add(SettingProblem.of(property("style"), "is '" + style + "': expected direct or qimen"));
            s = null;
        }
        require(problems, "sid", sid);
        require(problems, "app-key", appKey);
        require(problems, "app-secret", appSecret);
        if (appSecret != null && !appSecret.isBlank() && appSecret.indexOf(':') < 1) {
            problems.add(SettingProblem.of(property("app-secret"), "must be given as secret:salt, as Wangdiantong delivers it"));
        }
        if (s == Style.DIRECT) {
            require(problems, "base-url", baseUrl);
        } else if (s == Style.QIMEN) {
            require(problems, "qimen-url", qimenUrl);
            require(problems, "qimen-app-key", qimenAppKey);
            require(problems, "qimen-secret", qimenSecret);
            require(problems, "target-app-key", targetAppKey);
        }
    }

    /** The part of {@code app-secret} before the first colon. */
    String secret() {
        return appSecret.substring(0, appSecret.indexOf(':'));
    }

    /** The part of {@code app-secret} after the first colon. */
    String salt() {
        return appSecret.substring(appSecret.indexOf(':') + 1);
    }

    synchronized WangdiantongClient client() {
        if (client == null) {
            requireSettings();
            client = new WangdiantongClient(this, http());
        }
        return client;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        client = null;
        super.doStop();
    }

    public String getStyle() {
        return style;
    }

    public void setStyle(String style) {
        this.style = style;
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String getSid() {
        return sid;
    }

    public void setSid(String sid) {
        this.sid = sid;
    }

    public String getAppKey() {
        return appKey;
    }

    public void setAppKey(String appKey) {
        this.appKey = appKey;
    }

    public String getAppSecret() {
        return appSecret;
    }

    public void setAppSecret(String appSecret) {
        this.appSecret = appSecret;
    }

    public String getQimenUrl() {
        return qimenUrl;
    }

    public void setQimenUrl(String qimenUrl) {
        this.qimenUrl = qimenUrl;
    }

    public String getQimenAppKey() {
        return qimenAppKey;
    }

    public void setQimenAppKey(String qimenAppKey) {
        this.qimenAppKey = qimenAppKey;
    }

    public String getQimenSecret() {
        return qimenSecret;
    }

    public void setQimenSecret(String qimenSecret) {
        this.qimenSecret = qimenSecret;
    }

    public String getTargetAppKey() {
        return targetAppKey;
    }

    public void setTargetAppKey(String targetAppKey) {
        this.targetAppKey = targetAppKey;
    }

    @Override
    @Metadata(label = "rate limit", defaultValue = "300", description = "At most this many calls in any one minute, per app"
            + " key, shared by every sync that uses the key (0: no limit). Wangdiantong publishes no number: a refusal"
            + " (超过每分钟最大调用频率限制) lowers it.")
    public void setRequestsPerMinute(int requestsPerMinute) {
        super.setRequestsPerMinute(requestsPerMinute);
    }

    @Override
    @Metadata(label = "rate limit", defaultValue = "5", description = "At most this many calls at once, per app key, shared"
            + " by every sync that uses the key (0: no limit). Wangdiantong publishes no number: a refusal"
            + " (超过每分钟最大并发次数限制) lowers it.")
    public void setConcurrentRequests(int concurrentRequests) {
        super.setConcurrentRequests(concurrentRequests);
    }

    @Override
    @Metadata(label = "rate limit", defaultValue = "1000", description = "The first wait (ms) after a rate-limit answer before"
            + " the call is made again; each further refusal of the same call doubles it, with jitter.")
    public void setRateLimitPause(long rateLimitPause) {
        super.setRateLimitPause(rateLimitPause);
    }

    @Override
    @Metadata(label = "rate limit", defaultValue = "60000", description = "The longest wait (ms) after one rate-limit answer.")
    public void setRateLimitMaxPause(long rateLimitMaxPause) {
        super.setRateLimitMaxPause(rateLimitMaxPause);
    }

    @Override
    @Metadata(label = "rate limit", defaultValue = "600000", description = "The longest time (ms) one call waits out"
            + " rate-limit answers before the run stops early (partial).")
    public void setRateLimitMaxWait(long rateLimitMaxWait) {
        super.setRateLimitMaxWait(rateLimitMaxWait);
    }

    /** The app key's budget, shared by both styles and every Wangdiantong endpoint of the process that uses the key. */
    Pacer pacer() {
        return pacer("wangdiantong app " + getAppKey());
    }
}
