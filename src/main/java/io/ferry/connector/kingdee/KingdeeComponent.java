package io.ferry.connector.kingdee;

import java.util.List;
import java.util.Map;

import org.apache.camel.Endpoint;

import io.ferry.config.SettingProblem;
import io.ferry.connector.ConnectorComponent;

/**
 * {@code kingdee:batchSave?formId=BD_Customer} writes rows to Kingdee K3Cloud (金蝶云星空) through its WebAPI.
 * The server, account and credentials are component options, set from properties
 * ({@code camel.component.kingdee.base-url} …) that the environment overrides. One session is shared by every
 * endpoint of the component.
 */
public class KingdeeComponent extends ConnectorComponent {

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
        KingdeeEndpoint endpoint = new KingdeeEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    @Override
    protected void checkSettings(List<SettingProblem> problems) {
        KingdeeLoginMethod method;
        try {
            method = method();
        } catch (IllegalArgumentException e) {
            problems.add(SettingProblem.of(property("login-method"), "is '" + loginMethod + "': expected sign, app-secret or password"));
            method = null;
        }
        require(problems, "base-url", baseUrl);
        if (baseUrl != null && !baseUrl.isBlank() && !baseUrl.endsWith("/")) {
            problems.add(SettingProblem.of(property("base-url"), "must end with '/', e.g. http://host/K3Cloud/ (is " + baseUrl + ")"));
        }
        require(problems, "acct-id", acctId);
        require(problems, "username", username);
        if (method == KingdeeLoginMethod.PASSWORD) {
            require(problems, "password", password);
        } else if (method != null) {
            require(problems, "app-id", appId);
            require(problems, "app-secret", appSecret);
        }
    }

    /** The properties a refused login asks to check, with their environment variables. */
    String credentialsToCheck() {
        return method() == KingdeeLoginMethod.PASSWORD ? describe("acct-id", "username", "password")
                : describe("acct-id", "username", "app-id", "app-secret");
    }

    KingdeeLoginMethod method() {
        return KingdeeLoginMethod.parse(loginMethod);
    }

    synchronized KingdeeClient client() {
        if (client == null) {
            requireSettings();
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
