package io.ferry.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.observe.ManagementServer;
import io.ferry.observe.Observability;
import io.ferry.support.FerryHarness;

/** Real HTTP to the API of a running Ferry, as one user or token. */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** An answer: status, body as text and, when it is JSON, parsed. */
    record Answer(int status, String body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    final String base;
    final String authorization;

    ApiClient(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    static String base(FerryHarness f) {
        ManagementServer m = f.app().camel().getRegistry().lookupByNameAndType(Observability.MANAGEMENT_BEAN, ManagementServer.class);
        return "http://127.0.0.1:" + m.port() + "/api/v1";
    }

    static ApiClient basic(FerryHarness f, String user, String password) {
        return new ApiClient(base(f), "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8)));
    }

    static ApiClient bearer(FerryHarness f, String token) {
        return new ApiClient(base(f), "Bearer " + token);
    }

    static ApiClient anonymous(FerryHarness f) {
        return new ApiClient(base(f), null);
    }

    Answer get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Answer post(String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return send(b);
    }

    Answer send(HttpRequest.Builder b) throws Exception {
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r.headers());
    }
}
