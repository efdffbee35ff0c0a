package io.ferry.vendor.kingdee;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Endpoint;

import io.ferry.vendor.VendorComponent;

/**
 * {@code kingdee:batchSave?formId=BD_Customer} writes rows to Kingdee K3Cloud (金蝶云星空) through its WebAPI.
 * The server, account and credentials are component options, set from properties
 * ({@code camel.component.kingdee.base-url} …) that the environment overrides. One session is shared by every
 * endpoint of the component.
 */
public class KingdeeComponent extends VendorComponent {

    private String baseUrl;
    private String acctId;
    private String username;
    private String password;
    private String appId;
    private String appSecret;
    private int lcid = 2052;
    private String loginMethod = "sign";
    private KingdeeClient client;

    public KingdeeComponent() {
        super("kingdee", 10_000, 60_000);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        requireCredentials();
        KingdeeEndpoint endpoint = new KingdeeEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    private void requireCredentials() {
        KingdeeLoginMethod method = method();
        List<String[]> required = new ArrayList<>();
        required.add(new String[] { "base-url", baseUrl });
        required.add(new String[] { "acct-id", acctId });
        required.add(new String[] { "username", username });
        if (method == KingdeeLoginMethod.PASSWORD) {
            required.add(new String[] { "password", password });
        } else {
            required.add(new String[] { "app-id", appId });
            required.add(new String[] { "app-secret", appSecret });
        }
        for (String[] r : required) {
            if (r[1] == null || r[1].isBlank()) {
                throw new IllegalArgumentException("camel.component.kingdee." + r[0] + " is not set (login-method "
                        + loginMethod + "): give it in application.properties or its environment variable");
            }
        }
        if (!baseUrl.endsWith("/")) {
            throw new IllegalArgumentException("camel.component.kingdee.base-url must end with '/', e.g. http://host/K3Cloud/ (is "
                    + baseUrl + ")");
        }
    }

    KingdeeLoginMethod method() {
        return KingdeeLoginMethod.parse(loginMethod);
    }

    synchronized KingdeeClient client() {
        if (client == null) {
            client = new KingdeeClient(this, http());
        }
        return client;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        // a restarted context logs in again with the options it has then
        client = null;
        super.doStop();
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String getAcctId() {
        return acctId;
    }

    public void setAcctId(String acctId) {
        this.acctId = acctId;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getAppId() {
        return appId;
    }

    public void setAppId(String appId) {
        this.appId = appId;
    }

    public String getAppSecret() {
        return appSecret;
    }

    public void setAppSecret(String appSecret) {
        this.appSecret = appSecret;
    }

    public int getLcid() {
        return lcid;
    }

    public void setLcid(int lcid) {
        this.lcid = lcid;
    }

    public String getLoginMethod() {
        return loginMethod;
    }

    public void setLoginMethod(String loginMethod) {
        this.loginMethod = loginMethod;
    }
}
