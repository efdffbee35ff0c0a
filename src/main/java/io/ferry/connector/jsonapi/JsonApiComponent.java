package io.ferry.connector.jsonapi;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;

import io.ferry.config.SettingProblem;
import io.ferry.connector.ConnectorComponent;

/**
 * {@code jsonapi:NAME?url=RAW(https://host/v1/orders)&…}: any JSON API over HTTP, as a paged source (the default) or,
 * with {@code operation=push}, as a sink that sends one record per call (docs/connectors/jsonapi.md).
 * <p>
 * The credentials set here (component options, {@code camel.component.jsonapi.*}) are used by every endpoint that
 * names no property of its own for them; an endpoint names properties ({@code bearerTokenProperty=…}), never values,
 * so that no secret is written in a route file.
 */
public class JsonApiComponent extends ConnectorComponent {

    @Metadata(label = "security", secret = true, description = "A bearer token sent as Authorization: Bearer <token>"
            + " by endpoints that name no bearerTokenProperty.")
    private String bearerToken;
    @Metadata(label = "security", description = "The name of a header that carries the credential, e.g. X-Api-Key.")
    private String authHeaderName;
    @Metadata(label = "security", secret = true, description = "The value of authHeaderName.")
    private String authHeaderValue;
    @Metadata(label = "security", description = "The name of a query parameter that carries the credential, e.g. api_key.")
    private String authQueryName;
    @Metadata(label = "security", secret = true, description = "The value of authQueryName.")
    private String authQueryValue;
    @Metadata(label = "security", description = "The user of HTTP basic authentication.")
    private String basicUsername;
    @Metadata(label = "security", secret = true, description = "The password of HTTP basic authentication.")
    private String basicPassword;

    public JsonApiComponent() {
        super("jsonapi", 10_000, 30_000);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        JsonApiEndpoint endpoint = new JsonApiEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    @Override
    protected void checkSettings(List<SettingProblem> problems) {
        // nothing component-wide is required: each endpoint names its URL and where its credentials are
    }

    @Override
    public Set<String> requiredParameters() {
        return Set.of("url");
    }

    public String getBearerToken() {
        return bearerToken;
    }

    public void setBearerToken(String bearerToken) {
        this.bearerToken = bearerToken;
    }

    public String getAuthHeaderName() {
        return authHeaderName;
    }

    public void setAuthHeaderName(String authHeaderName) {
        this.authHeaderName = authHeaderName;
    }

    public String getAuthHeaderValue() {
        return authHeaderValue;
    }

    public void setAuthHeaderValue(String authHeaderValue) {
        this.authHeaderValue = authHeaderValue;
    }

    public String getAuthQueryName() {
        return authQueryName;
    }

    public void setAuthQueryName(String authQueryName) {
        this.authQueryName = authQueryName;
    }

    public String getAuthQueryValue() {
        return authQueryValue;
    }

    public void setAuthQueryValue(String authQueryValue) {
        this.authQueryValue = authQueryValue;
    }

    public String getBasicUsername() {
        return basicUsername;
    }

    public void setBasicUsername(String basicUsername) {
        this.basicUsername = basicUsername;
    }

    public String getBasicPassword() {
        return basicPassword;
    }

    public void setBasicPassword(String basicPassword) {
        this.basicPassword = basicPassword;
    }

    /** The budget of one API host and its credentials, shared by every jsonapi endpoint of the process that uses them. */
    io.ferry.http.CallBudget budget(String key, io.ferry.http.CallBudget.Limits limits) {
        return callBudgets().budget(key, limits);
    }
}
