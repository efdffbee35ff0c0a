package io.ferry.connector.jushuitan;

import java.util.List;
import java.util.Map;

import org.apache.camel.Endpoint;

import io.ferry.config.SettingProblem;
import io.ferry.connector.ConnectorComponent;

/**
 * {@code jushuitan:PATH?pageSize=100} reads one page of a Jushuitan open API v2 paged query per call, e.g.
 * {@code jushuitan:/open/shops/query}. The app's credentials are component options, set from properties
 * ({@code camel.component.jushuitan.app-key} …) that the environment overrides.
 */
public class JushuitanComponent extends ConnectorComponent {

    private String baseUrl = "https://openapi.jushuitan.com";
    private String appKey;
    private String appSecret;
    private String accessToken;
    private int requestsPerSecond = 5;
    private int requestsPerMinute = 100;
    private long rateLimitPause = 2000;
    private long rateLimitMaxWait = 300_000;
    private JushuitanClient client;

    public JushuitanComponent() {
        super("jushuitan", 10_000, 30_000);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        JushuitanEndpoint endpoint = new JushuitanEndpoint(uri, this, remaining.startsWith("/") ? remaining : "/" + remaining);
        setProperties(endpoint, parameters);
        endpoint.validateSource();
        return endpoint;
    }

    @Override
    protected void checkSettings(List<SettingProblem> problems) {
        require(problems, "base-url", baseUrl);
        require(problems, "app-key", appKey);
        require(problems, "app-secret", appSecret);
        require(problems, "access-token", accessToken);
    }

    synchronized JushuitanClient client() {
        if (client == null) {
            requireSettings();
            client = new JushuitanClient(this, http());
        }
        return client;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        client = null;
        super.doStop();
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
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

    public String getAccessToken() {
        return accessToken;
    }

    public void setAccessToken(String accessToken) {
        this.accessToken = accessToken;
    }

    public int getRequestsPerSecond() {
        return requestsPerSecond;
    }

    public void setRequestsPerSecond(int requestsPerSecond) {
        this.requestsPerSecond = requestsPerSecond;
    }

    public int getRequestsPerMinute() {
        return requestsPerMinute;
    }

    public void setRequestsPerMinute(int requestsPerMinute) {
        this.requestsPerMinute = requestsPerMinute;
    }

    public long getRateLimitPause() {
        return rateLimitPause;
    }

    public void setRateLimitPause(long rateLimitPause) {
        this.rateLimitPause = rateLimitPause;
    }

    public long getRateLimitMaxWait() {
        return rateLimitMaxWait;
    }

    public void setRateLimitMaxWait(long rateLimitMaxWait) {
        this.rateLimitMaxWait = rateLimitMaxWait;
    }
}
