package io.ferry.connector.jushuitan;

import java.util.List;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;

import io.ferry.config.SettingProblem;
import io.ferry.connector.PacedConnectorComponent;
import io.ferry.http.CallBudget;
import io.ferry.http.Pacer;

/**
 * {@code jushuitan:PATH?pageSize=100} reads one page of a Jushuitan open API v2 paged query per call, e.g.
 * {@code jushuitan:/open/shops/query}. The app's credentials are component options, set from properties
 * ({@code camel.component.jushuitan.app-key} …) that the environment overrides.
 */
public class JushuitanComponent extends PacedConnectorComponent {

    @Metadata(defaultValue = "https://openapi.jushuitan.com", description = "The open API's root; the endpoint's path is"
            + " appended to it.")
    private String baseUrl = "https://openapi.jushuitan.com";
    @Metadata(label = "security", description = "The app's key (app_key of every request).")
    private String appKey;
    @Metadata(label = "security", secret = true, description = "The app's secret: signs every request, never sent.")
    private String appSecret;
    @Metadata(label = "security", secret = true, description = "The access token the app was granted"
            + " (access_token of every request).")
    private String accessToken;
    private JushuitanClient client;

    public JushuitanComponent() {
        super("jushuitan", 10_000, 30_000, new CallBudget.Limits(5, 100, 0), 500, 30_000, 300_000);
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

    /** Jushuitan's published limit (protocols.md §3.1). */
    @Override
    @Metadata(label = "rate limit", defaultValue = "5", description = "At most this many calls in any one second, per app"
            + " key, shared by every sync that uses the key (0: no limit).")
    public void setRequestsPerSecond(int requestsPerSecond) {
        super.setRequestsPerSecond(requestsPerSecond);
    }

    /** Jushuitan's published limit (protocols.md §3.1). */
    @Override
    @Metadata(label = "rate limit", defaultValue = "100", description = "At most this many calls in any one minute, per app"
            + " key, shared by every sync that uses the key (0: no limit).")
    public void setRequestsPerMinute(int requestsPerMinute) {
        super.setRequestsPerMinute(requestsPerMinute);
    }

    /** The app key's budget, shared by every Jushuitan endpoint of the process that uses the key. */
    Pacer pacer() {
        return pacer("jushuitan app " + getAppKey());
    }
}
