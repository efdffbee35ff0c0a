package io.ferry.connector.jsonapi;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.http.ApiHttp;
import io.ferry.http.ApiHttp.Caller;
import io.ferry.http.RateLimiter;
import io.ferry.http.TooManyRequestsException;
import io.ferry.kernel.Records;
import io.ferry.kernel.TransientException;

/**
 * One HTTP call of a JSON API: the credentials added, the endpoint's rate limit kept, an HTTP 429 waited out as long
 * as its {@code Retry-After} says (at most {@code maxRetryAfter} ms per answer and {@code rateLimitMaxWait} ms per
 * call), and the request as the API-call log keeps it, credentials masked. What the answer means is the caller's.
 */
final class JsonApiClient {

    private static final Logger LOG = LoggerFactory.getLogger(JsonApiClient.class);
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
    private final RateLimiter limiter;

    JsonApiClient(JsonApiEndpoint endpoint, ApiHttp http, JsonApiAuth auth) {
        this.endpoint = endpoint;
        this.http = http;
        this.auth = auth;
        // 100 ms of margin: a call counted here reaches the API a little later
        this.limiter = new RateLimiter(endpoint.getRequestsPerSecond(), endpoint.getRequestsPerMinute(), 100);
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
        long waited = 0;
        while (true) {
            acquire();
            try {
                ApiHttp.Reply reply = switch (method) {
                case "GET" -> http.get(caller, direction, target, logged, all);
                case "PUT" -> http.put(caller, direction, target, JSON_TYPE, body, logged, all);
                default -> http.post(caller, direction, target, JSON_TYPE, body == null ? "" : body, logged, all);
                };
                return new Exchanged(reply, logged, target.getPath());
            } catch (TooManyRequestsException e) {
                long wait = retryAfterMillis(e.retryAfter(), endpoint.getMaxRetryAfter());
                if (waited + wait > endpoint.getRateLimitMaxWait()) {
                    throw new RateLimitWaitedOut(endpoint.what() + " kept answering HTTP 429 (too many requests) for " + waited / 1000
                            + " s, longer than rateLimitMaxWait (" + endpoint.getRateLimitMaxWait() / 1000 + " s)", e);
                }
                LOG.info("{}: HTTP 429 (Retry-After {}), asking again in {} ms", endpoint.what(), e.retryAfter(), wait);
                sleep(wait);
                waited += wait;
            }
        }
    }

    /**
     * How long a 429 asks to wait: delta-seconds or an HTTP date (RFC 9110 §10.2.3), at most {@code max} ms; one
     * second when it says nothing usable.
     */
    static long retryAfterMillis(String retryAfter, long max) {
        long ms = 1000;
        if (retryAfter != null) {
            String v = retryAfter.strip();
            if (v.matches("\\d{1,9}")) {
                ms = Long.parseLong(v) * 1000;
            } else {
                try {
                    ms = Math.max(0, Duration.between(ZonedDateTime.now(),
                            ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)).toMillis());
                } catch (DateTimeParseException e) {
                    // not a date either: the default
                }
            }
        }
        return Math.min(ms, max);
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

    private void acquire() {
        try {
            limiter.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException(endpoint.what() + ": interrupted while waiting for the rate limit", e);
        }
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException(endpoint.what() + ": interrupted while waiting out HTTP 429", e);
        }
    }
}
