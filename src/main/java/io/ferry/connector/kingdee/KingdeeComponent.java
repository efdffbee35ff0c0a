package io.ferry.connector.kingdee;

import java.util.List;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;

import io.ferry.config.SettingProblem;
import io.ferry.connector.PacedConnectorComponent;
import io.ferry.http.Pacer;

/**
 * {@code kingdee:batchSave?formId=BD_Customer} writes rows to Kingdee K3Cloud (金蝶云星空) through its WebAPI
 * ({@link KingdeeSaveEndpoint}), {@code kingdee:query?formId=…&fieldKeys=…} reads a form as a paged source
 * ({@link KingdeeQueryEndpoint}).
 * The server, account and credentials are component options, set from properties
 * ({@code camel.component.kingdee.base-url} …) that the environment overrides. One session is shared by every
 * endpoint of the component.
 */
public class KingdeeComponent extends PacedConnectorComponent {

    @Metadata(description = "The server's WebAPI root, ending with '/', e.g. http://host/K3Cloud/")
    private String baseUrl;
    @Metadata(description = "The data centre (account set) id: acctId of the logins, dcId of the X-Api signature")
    private String acctId;
    @Metadata(description = "The Kingdee user the calls run as")
    private String username;
    @Metadata(description = "The user's password (login-method password)", secret = true)
    private String password;
    @Metadata(description = "The third-party app's id (login-methods sign, app-secret and api-signature); for api-signature"
            + " <clientId>_<32 base64 characters>")
    private String appId;
    @Metadata(description = "The third-party app's secret (login-methods sign, app-secret and api-signature)", secret = true)
    private String appSecret;
    @Metadata(description = "The language id sent with the login or the signature", defaultValue = "2052")
    private int lcid = 2052;
    @Metadata(description = "How calls are authorised: sign (LoginBySign), app-secret (LoginByAppSecret), password"
            + " (ValidateUser) or api-signature (every request signed, no login)", defaultValue = "sign")
    private String loginMethod = "sign";
    @Metadata(description = "The organisation number in the X-Kd-Appdata of the api-signature method", defaultValue = "0")
    private String orgNum = "0";
    private KingdeeClient client;

    public KingdeeComponent() {
        super("kingdee", 10_000, 60_000);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (KingdeeQueryEndpoint.OPERATION.equalsIgnoreCase(remaining)) {
            KingdeeQueryEndpoint query = new KingdeeQueryEndpoint(uri, this);
            setProperties(query, parameters);
            query.validateSource();
            return query;
        }
        KingdeeSaveEndpoint endpoint = new KingdeeSaveEndpoint(uri, this, remaining);
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
            problems.add(SettingProblem.of(property("login-method"), "is '" + loginMethod + "': expected sign, app-secret, password or api-signature"));
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
                : method() == KingdeeLoginMethod.API_SIGNATURE ? describe("acct-id", "username", "app-id", "app-secret", "lcid")
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

    public String getOrgNum() {
        return orgNum;
    }

    public void setOrgNum(String orgNum) {
        this.orgNum = orgNum;
    }

    /** Redeclared for Kingdee's own default, twice the other connectors'. */
    @Override
    @Metadata(label = "advanced", defaultValue = "60000", description = "How long (ms) a call waits for the server's"
            + " answer; one not answered in time fails as transient.")
    public void setReadTimeout(int readTimeout) {
        super.setReadTimeout(readTimeout);
    }

    public String getLoginMethod() {
        return loginMethod;
    }

    public void setLoginMethod(String loginMethod) {
        this.loginMethod = loginMethod;
    }

    /** The budget of the account on this server, shared by every Kingdee endpoint of the process. */
    Pacer pacer() {
        return pacer("kingdee " + getBaseUrl() + " account " + getAcctId());
    }
}
