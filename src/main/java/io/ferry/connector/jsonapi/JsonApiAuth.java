package io.ferry.connector.jsonapi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ferry.kernel.ConfigurationException;

/**
 * The credentials of one endpoint, read from properties when it is first used: the headers and query parameters to
 * send, each in a masked form for the API-call log, and the properties they came from for a refusal's message.
 */
final class JsonApiAuth {

    static final String MASK = "***";

    /** Looks a property up; empty or absent is null. */
    @FunctionalInterface
    interface Properties {
        String get(String name);
    }

    /** How a property is named in a message: the property with the environment variable that feeds it. */
    @FunctionalInterface
    interface Describer {
        String describe(String property);
    }

    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, String> maskedHeaders = new LinkedHashMap<>();
    private final Map<String, String> query = new LinkedHashMap<>();
    private final List<String> secrets = new ArrayList<>();
    private final List<String> sources = new ArrayList<>();

    private JsonApiAuth() {
    }

    static JsonApiAuth none() {
        return new JsonApiAuth();
    }

    /** The endpoint's credentials: each kind from the property the endpoint names, else from the component's option. */
    static JsonApiAuth resolve(JsonApiEndpoint e, JsonApiComponent c, Properties props, Describer describer) {
        JsonApiAuth auth = new JsonApiAuth();
        String what = e.what();
        Value bearer = value(what, "bearerTokenProperty", e.getBearerTokenProperty(), c.getBearerToken(), "bearer-token", props, describer);
        String user = firstSet(e.getBasicUsername(), c.getBasicUsername());
        Value password = value(what, "basicPasswordProperty", e.getBasicPasswordProperty(), c.getBasicPassword(), "basic-password",
                props, describer);
        if (bearer != null && user != null) {
            throw new ConfigurationException(what + ": both a bearer token and basic authentication are set; both go in the"
                    + " Authorization header, set only one");
        }
        if (bearer != null) {
            auth.header("Authorization", "Bearer " + bearer.value(), "Bearer " + MASK, bearer);
        }
        if (user != null) {
            if (password == null) {
                throw new ConfigurationException(what + ": basic authentication has a user (" + user + ") but no password: set"
                        + " basicPasswordProperty or " + describer.describe("camel.component.jsonapi.basic-password"));
            }
            String encoded = Base64.getEncoder().encodeToString((user + ":" + password.value()).getBytes(StandardCharsets.UTF_8));
            auth.secrets.add(encoded);
            auth.header("Authorization", "Basic " + encoded, "Basic " + MASK, password);
        }
        String headerName = firstSet(e.getAuthHeaderName(), c.getAuthHeaderName());
        Value headerValue = value(what, "authHeaderValueProperty", e.getAuthHeaderValueProperty(), c.getAuthHeaderValue(),
                "auth-header-value", props, describer);
        if (headerName != null) {
            if (headerValue == null) {
                throw new ConfigurationException(what + ": the header " + headerName + " has no value: set authHeaderValueProperty or "
                        + describer.describe("camel.component.jsonapi.auth-header-value"));
            }
            auth.header(headerName, headerValue.value(), MASK, headerValue);
        }
        String queryName = firstSet(e.getAuthQueryName(), c.getAuthQueryName());
        Value queryValue = value(what, "authQueryValueProperty", e.getAuthQueryValueProperty(), c.getAuthQueryValue(),
                "auth-query-value", props, describer);
        if (queryName != null) {
            if (queryValue == null) {
                throw new ConfigurationException(what + ": the query parameter " + queryName + " has no value: set"
                        + " authQueryValueProperty or " + describer.describe("camel.component.jsonapi.auth-query-value"));
            }
            auth.query.put(queryName, queryValue.value());
            auth.secrets.add(queryValue.value());
            auth.sources.add(queryValue.from());
        }
        // the longest first, so that a secret containing another is masked whole
        auth.secrets.sort(Comparator.comparingInt(String::length).reversed());
        return auth;
    }

    private record Value(String value, String from) {
    }

    /**
     * The value of the property the endpoint names in {@code option}, which must be set; else the component's option;
     * null when neither is used.
     */
    private static Value value(String what, String option, String property, String componentValue, String componentOption,
            Properties props, Describer describer) {
        if (property != null && !property.isBlank()) {
            String v = props.get(property.strip());
            if (v == null || v.isBlank()) {
                throw new ConfigurationException(what + ": " + describer.describe(property.strip()) + " is not set (named by "
                        + option + ")");
            }
            return new Value(v, describer.describe(property.strip()));
        }
        if (componentValue != null && !componentValue.isBlank()) {
            return new Value(componentValue, describer.describe("camel.component.jsonapi." + componentOption));
        }
        return null;
    }

    private void header(String name, String value, String masked, Value from) {
        headers.put(name, value);
        maskedHeaders.put(name, masked);
        secrets.add(from.value());
        sources.add(from.from());
    }

    private static String firstSet(String a, String b) {
        return a != null && !a.isBlank() ? a.strip() : b != null && !b.isBlank() ? b.strip() : null;
    }

    Map<String, String> headers() {
        return headers;
    }

    Map<String, String> maskedHeaders() {
        return maskedHeaders;
    }

    Map<String, String> query() {
        return query;
    }

    /** The properties the credentials came from, for a refusal: "check …". */
    /** Where the credentials come from (property names, never values): who the API counts the calls of. */
    String identity() {
        return sources.isEmpty() ? "anonymous" : String.join(",", sources);
    }

    String sources() {
        return sources.isEmpty() ? "no credentials are configured (see docs/connectors/jsonapi.md, Authentication)"
                : "check " + String.join(", ", sources);
    }

    /** The text with every credential value (as it is and URL-encoded) replaced by {@value #MASK}. */
    String mask(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            if (s.length() >= 2) {
                out = out.replace(s, MASK).replace(URLEncoder.encode(s, StandardCharsets.UTF_8), MASK);
            }
        }
        return out;
    }
}
