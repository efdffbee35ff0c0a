package io.ferry.connector.jsonapi;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.ferry.http.ApiHttp;
import io.ferry.http.ApiHttp.Caller;
import io.ferry.http.Pacer;
import io.ferry.kernel.RateLimitExhaustedException;
import io.ferry.kernel.Records;
import io.ferry.kernel.TransientException;

/**
 * One HTTP call of a JSON API: the credentials added, paced under the budget of the API's host and credentials, an
 * HTTP 429 waited out (a growing back-off, or as long as its {@code Retry-After} says, at most {@code maxRetryAfter}
 * ms per answer and {@code rateLimitMaxWait} ms per call: io.ferry.http.Pacer), and the request as the API-call log
 * keeps it, credentials masked. What the answer means is the caller's.
 */
final class JsonApiClient {

    static final String JSON_TYPE = "application/json; charset=utf-8";

    /** An answer, with the request as it was logged (for the caller's API-call log entry). */
    record Exchanged(ApiHttp.Reply reply, String logged, String endpoint) {
    }

    /** Thrown when 429s were answered for longer than {@code rateLimitMaxWait}: the caller says what that means. */
    static final class RateLimitWaitedOut extends TransientException {
        RateLimitWaitedOut(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final JsonApiEndpoint endpoint;
    private final ApiHttp http;
    private final JsonApiAuth auth;
    private final Pacer pacer;

    JsonApiClient(JsonApiEndpoint endpoint, ApiHttp http, JsonApiAuth auth, Pacer pacer) {
        this.endpoint = endpoint;
        this.http = http;
        this.auth = auth;
        this.pacer = pacer;
    }

    JsonApiAuth auth() {
        return auth;
    }

    ApiHttp http() {
        return http;
    }

    /**
     * Sends one request and returns the answer whatever its status, except the statuses the transport calls transient
     * (thrown; a 429 is waited out and sent again first).
     *
     * @param body the JSON body, null for a GET
     */
    Exchanged send(Caller caller, String direction, String method, URI uri, String body, Map<String, String> headers) {
        URI target = withQuery(uri, missingFrom(uri, auth.query()));
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Accept", "application/json");
        all.putAll(auth.headers());
        String logged = logged(method, target, headers, body);
        try {
            return pacer.call(endpoint.what(), () -> Pacer.answered(new Exchanged(switch (method) {
            case "GET" -> http.get(caller, direction, target, logged, all);
            case "PUT" -> http.put(caller, direction, target, JSON_TYPE, body, logged, all);
            default -> http.post(caller, direction, target, JSON_TYPE, body == null ? "" : body, logged, all);
            }, logged, target.getPath())));
        } catch (RateLimitExhaustedException e) {
            throw new RateLimitWaitedOut(e.getMessage(), e);
        }
    }

    /** Adds each parameter to the URI's query (nested values as JSON text), after what the URI already has. */
    static URI withQuery(URI uri, Map<String, ?> params) {
        if (params.isEmpty()) {
            return uri;
        }
        String added = params.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> encode(e.getKey()) + "=" + encode(text(e.getValue()))).collect(Collectors.joining("&"));
        if (added.isEmpty()) {
            return uri;
        }
        String s = uri.toString();
        int hash = s.indexOf('#');
        String fragment = hash < 0 ? "" : s.substring(hash);
        String base = hash < 0 ? s : s.substring(0, hash);
        return URI.create(base + (uri.getRawQuery() == null ? "?" : "&") + added + fragment);
    }

    /** The parameters the URI's query does not carry yet (a next-page link may carry the credential already). */
    private static Map<String, String> missingFrom(URI uri, Map<String, String> params) {
        String q = uri.getRawQuery() == null ? "" : "&" + uri.getRawQuery();
        Map<String, String> out = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (!q.contains("&" + encode(k) + "=")) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static String text(Object v) {
        return v instanceof Map || v instanceof List ? Records.toJson(v) : String.valueOf(v);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * The request as the API-call log keeps it, like an HTTP message: {@code METHOD path?query}, the headers Ferry adds
     * (credentials as {@code ***}), a blank line and the body.
     */
    private String logged(String method, URI target, Map<String, String> headers, String body) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(target.getRawPath() == null ? "/" : target.getRawPath());
        if (target.getRawQuery() != null) {
            sb.append('?').append(maskQuery(target.getRawQuery()));
        }
        headers.forEach((k, v) -> sb.append('\n').append(k).append(": ").append(v));
        auth.maskedHeaders().forEach((k, v) -> sb.append('\n').append(k).append(": ").append(v));
        if (body != null) {
            sb.append("\n\n").append(body);
        }
        return auth.mask(sb.toString());
    }

    private String maskQuery(String rawQuery) {
        StringBuilder out = new StringBuilder();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            boolean secret = auth.query().keySet().stream().anyMatch(k -> encode(k).equals(name));
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(secret ? name + "=" + JsonApiAuth.MASK : pair);
        }
        return out.toString();
    }
}
