package io.ferry.connector.jsonapi;

import java.net.URI;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.http.ApiHttp;
import io.ferry.http.ApiHttp.Caller;
import io.ferry.kernel.ConfigurationException;
import io.ferry.kernel.Failure;
import io.ferry.kernel.RateLimitExhaustedException;
import io.ferry.kernel.Records;
import io.ferry.kernel.SourceException;
import io.ferry.kernel.UnreadableAnswerException;
import io.ferry.kernel.source.PageAnswer;
import io.ferry.kernel.source.PageFetcher;
import io.ferry.kernel.source.PageRequest;

/**
 * One page of a JSON API: the rendered parameters in the query string (GET) or as the JSON body (POST); with Link
 * paging, every page after the first is the URL the Link header of the one before gave (the kernel's cursor). The
 * answer must be a 2xx JSON document: 401/403 are the credentials, another 4xx or a redirect the url or parameters
 * (the run fails at once); an HTML page, an empty or truncated body are transient (retried by the route).
 */
final class JsonApiSource implements PageFetcher {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonApiEndpoint endpoint;
    private final JsonApiClient client;
    private final boolean linkPaging;

    JsonApiSource(JsonApiEndpoint endpoint, JsonApiClient client, boolean linkPaging) {
        this.endpoint = endpoint;
        this.client = client;
        this.linkPaging = linkPaging;
    }

    @Override
    public PageAnswer fetch(PageRequest request) {
        Caller caller = new Caller(request.run().syncName(), request.run().runId());
        URI base = endpoint.uri();
        String method = endpoint.sourceMethod();
        URI uri;
        String body = null;
        if (linkPaging && request.cursor() != null) {
            uri = next(base, request.cursor());
            method = "GET";
        } else if (method.equals("GET")) {
            uri = JsonApiClient.withQuery(base, request.params());
        } else {
            uri = base;
            body = Records.toJson(request.params());
        }
        JsonApiClient.Exchanged x;
        try {
            x = client.send(caller, "pull", method, uri, body, java.util.Map.of());
        } catch (JsonApiClient.RateLimitWaitedOut e) {
            throw new RateLimitExhaustedException(e.getMessage() + "; stopping this run early");
        }
        ApiHttp.Reply reply = x.reply();
        String what = endpoint.what() + " " + x.endpoint() + " (" + request.position() + ")";
        String text = reply.body() == null ? "" : reply.body().strip();
        if (reply.status() >= 300 && reply.status() < 400) {
            fail(caller, x, "HTTP " + reply.status());
            java.util.List<String> location = reply.headers().get("Location");
            throw new ConfigurationException(what + " answered HTTP " + reply.status() + ", a redirect"
                    + (location == null || location.isEmpty() ? "" : " to " + location.get(0)) + ": set url to where the API is");
        }
        Failure failure = Failure.ofReply(reply.status(), reply.contentType(), text);
        if (failure == Failure.CREDENTIALS) {
            fail(caller, x, "HTTP " + reply.status());
            throw new ConfigurationException(what + " refused the credentials (HTTP " + reply.status() + "): "
                    + ApiHttp.snippet(text) + "; " + client.auth().sources());
        }
        if (failure == Failure.CONFIGURATION) {
            fail(caller, x, "HTTP " + reply.status());
            throw new ConfigurationException(what + " answered HTTP " + reply.status() + ": " + ApiHttp.snippet(text)
                    + " (check the url and params of " + endpoint.what() + ")");
        }
        if (failure == Failure.TRANSIENT) {
            fail(caller, x, "not JSON");
            throw new UnreadableAnswerException(what + " answered HTTP " + reply.status()
                    + (reply.contentType().isEmpty() ? "" : " (" + reply.contentType() + ")") + " that is not JSON: "
                    + ApiHttp.snippet(text), reply.body());
        }
        Object parsed;
        try {
            parsed = JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            fail(caller, x, "malformed JSON");
            throw new UnreadableAnswerException(what + " answered malformed JSON (" + e.getOriginalMessage() + "): "
                    + ApiHttp.snippet(text), reply.body());
        }
        client.http().record(caller, "pull", x.endpoint(), x.logged(), reply, null, null);
        return new PageAnswer(parsed, reply.body(), reply.headers());
    }

    /**
     * The next page's URL from a Link header, resolved against the endpoint's URL. Only a URL of the same scheme, host
     * and port is followed: the credentials go with it.
     */
    private URI next(URI base, String link) {
        URI next;
        try {
            next = base.resolve(link.strip());
        } catch (IllegalArgumentException e) {
            throw new SourceException(endpoint.what() + ": the Link header's next URL '" + link + "' is not a URL");
        }
        if (!base.getScheme().equalsIgnoreCase(String.valueOf(next.getScheme()))
                || !base.getHost().equalsIgnoreCase(String.valueOf(next.getHost())) || base.getPort() != next.getPort()) {
            throw new SourceException(endpoint.what() + ": the Link header's next URL " + next + " is on another server than "
                    + base.getScheme() + "://" + base.getAuthority() + "; it is not followed (the credentials would go with it)");
        }
        return next;
    }

    private void fail(Caller caller, JsonApiClient.Exchanged x, String error) {
        client.http().record(caller, "pull", x.endpoint(), x.logged(), x.reply(), null, error);
    }
}
