package io.ferry.http;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import io.ferry.kernel.Failure;
import io.ferry.kernel.TransientException;
import io.ferry.kernel.UnreadableAnswerException;

/**
 * The HTTP transport of every vendor client: one pooled Apache HttpClient 5 per vendor (the client camel-http
 * uses), timeouts, the transport's part of {@link Failure} (connection failures, timeouts, HTTP 5xx, 408 and 429, an
 * answer cut in a UTF-8 character are transient) and the
 * API-call log. The client does exactly what the vendor client asks: no automatic retries (a POST is not sent
 * twice behind Ferry's back), no redirects, no cookie store (sessions are the vendor client's business).
 */
public class ApiHttp implements AutoCloseable {

    /** Connections kept per vendor: enough for every batch in flight of the syncs that share the vendor. */
    static final int MAX_CONNECTIONS = 32;

    /** Who is calling, for the API-call log. */
    public record Caller(String sync, Long runId) {
        public static final Caller NONE = new Caller(null, null);
    }

    /** A vendor's answer. Header names are case-insensitive keys. */
    public record Reply(int status, String contentType, String body, Map<String, List<String>> headers,
            long latencyMillis) {
    }

    /** An answer as it came off the wire. */
    private record Raw(int status, String contentType, byte[] body, Map<String, List<String>> headers) {
    }

    private final String system;
    private final CloseableHttpClient client;
    private final Duration readTimeout;
    private volatile ApiCallRecorder recorder = ApiCallRecorder.NONE;
    /** The recorder of the calls made on this thread instead of the transport's own (see {@link #recordingTo}). */
    private static final ThreadLocal<ApiCallRecorder> SCOPED = new ThreadLocal<>();

    public ApiHttp(String system, Duration connectTimeout, Duration readTimeout) {
        this.system = system;
        this.readTimeout = readTimeout;
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.of(connectTimeout))
                                .setSocketTimeout(Timeout.of(readTimeout))
                                // a pooled connection idle for a second is checked before it is used again
                                .setValidateAfterInactivity(TimeValue.ofSeconds(1)).build())
                        .setMaxConnPerRoute(MAX_CONNECTIONS).setMaxConnTotal(MAX_CONNECTIONS).build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(readTimeout))
                        .setConnectionRequestTimeout(Timeout.of(connectTimeout)).build())
                .disableAutomaticRetries().disableRedirectHandling().disableCookieManagement()
                .build();
    }

    public void setRecorder(ApiCallRecorder recorder) {
        this.recorder = recorder == null ? ApiCallRecorder.NONE : recorder;
    }

    /**
     * Runs the work on this thread with every API call it makes, through any vendor's transport, handed to this
     * recorder instead of the transport's (the API-call log and metrics): a read outside a run (a preview) shows its
     * calls to whoever asked and leaves the log as it was. Calls made on other threads are not affected.
     */
    public static <T> T recordingTo(ApiCallRecorder recorder, java.util.function.Supplier<T> work) {
        ApiCallRecorder before = SCOPED.get();
        SCOPED.set(recorder);
        try {
            return work.get();
        } finally {
            if (before == null) {
                SCOPED.remove();
            } else {
                SCOPED.set(before);
            }
        }
    }

    public String system() {
        return system;
    }

    /**
     * POSTs a body and returns the answer unless {@link Failure#ofStatus} calls its status transient (the caller reads the vendor's own
     * code). Throws {@link TransientException} for failures worth retrying.
     *
     * @param loggedRequest the request body as the API-call log may keep it (secrets masked)
     */
    public Reply post(Caller caller, String direction, URI uri, String contentType, String body, String loggedRequest,
            Map<String, String> headers) {
        HttpPost request = new HttpPost(uri);
        // the Content-Type exactly as the vendor client gives it, charset parameter and all
        request.setHeader("Content-Type", contentType);
        request.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), null));
        headers.forEach(request::setHeader);
        return send(caller, direction, uri, request, loggedRequest);
    }

    /** PUTs a body, as {@link #post} does. */
    public Reply put(Caller caller, String direction, URI uri, String contentType, String body, String loggedRequest,
            Map<String, String> headers) {
        HttpPut request = new HttpPut(uri);
        request.setHeader("Content-Type", contentType);
        request.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), null));
        headers.forEach(request::setHeader);
        return send(caller, direction, uri, request, loggedRequest);
    }

    public Reply get(Caller caller, String direction, URI uri, String loggedRequest, Map<String, String> headers) {
        HttpGet request = new HttpGet(uri);
        headers.forEach(request::setHeader);
        return send(caller, direction, uri, request, loggedRequest);
    }

    private Reply send(Caller caller, String direction, URI uri, HttpUriRequestBase request, String loggedRequest) {
        long start = System.nanoTime();
        String endpoint = uri.getPath();
        try {
            Raw resp = client.execute(request, response -> {
                Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                for (Header h : response.getHeaders()) {
                    headers.computeIfAbsent(h.getName(), k -> new ArrayList<>()).add(h.getValue());
                }
                Header ct = response.getFirstHeader("Content-Type");
                byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
                return new Raw(response.getCode(), ct == null ? "" : ct.getValue(), body, headers);
            });
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (Failure.ofStatus(resp.status()) == Failure.TRANSIENT) {
                String text = new String(resp.body(), StandardCharsets.UTF_8);
                record(caller, direction, endpoint, loggedRequest, new Reply(resp.status(), resp.contentType(), text, resp.headers(), ms),
                        null, "HTTP " + resp.status());
                if (resp.status() == 429) {
                    List<String> retryAfter = resp.headers().get("Retry-After");
                    throw new TooManyRequestsException(system + " " + endpoint + " answered HTTP 429: " + snippet(text),
                            retryAfter == null || retryAfter.isEmpty() ? null : retryAfter.get(0));
                }
                throw new TransientException(system + " " + endpoint + " answered HTTP " + resp.status() + ": " + snippet(text));
            }
            return new Reply(resp.status(), resp.contentType(), utf8(resp.body(), endpoint), resp.headers(), ms);
        } catch (ConnectTimeoutException e) {
            fail(caller, direction, endpoint, start, loggedRequest, "connect timeout");
            throw new TransientException(system + " " + endpoint + " could not be reached: " + e.getMessage(), e);
        } catch (SocketTimeoutException e) {
            fail(caller, direction, endpoint, start, loggedRequest, "timeout");
            throw new TransientException(system + " " + endpoint + " did not answer within " + readTimeout.toSeconds() + " s", e);
        } catch (IOException e) {
            fail(caller, direction, endpoint, start, loggedRequest, e.toString());
            throw new TransientException(system + " " + endpoint + " could not be reached: " + e, e);
        } catch (IllegalStateException e) {
            // the pool was shut down under the call (Ferry is stopping): the call did not happen, it is not the rows' fault
            fail(caller, direction, endpoint, start, loggedRequest, e.toString());
            throw new TransientException(system + " " + endpoint + " was not called: " + e.getMessage(), e);
        }
    }

    /** Closes the pooled connections. */
    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // closing sockets: nothing left to do
        }
    }

    private void fail(Caller caller, String direction, String endpoint, long start, String loggedRequest, String error) {
        record(caller, direction, endpoint, loggedRequest,
                new Reply(0, "", null, Map.of(), (System.nanoTime() - start) / 1_000_000), null, error);
    }

    /**
     * Adds a call to the API-call log. The transport records calls that failed below the vendor's envelope;
     * a vendor client records each answer it read, with the vendor's code.
     */
    public void record(Caller caller, String direction, String endpoint, String loggedRequest, Reply reply,
            String vendorCode, String error) {
        try {
            ApiCallRecorder scoped = SCOPED.get();
            (scoped != null ? scoped : recorder).record(new ApiCall(caller.sync(), caller.runId(), system, direction, endpoint, reply.status(),
                    vendorCode, reply.latencyMillis(), loggedRequest, reply.body(), error, Instant.now()));
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ApiHttp.class).warn("API-call log failed: {}", e.toString());
        }
    }

    /** Form or query-string encoding (UTF-8) of these parameters, in their order. */
    public static String formEncode(java.util.Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(e -> java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8) + "="
                        + java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining("&"));
    }

    /**
     * Every vendor here answers UTF-8; bytes that are not UTF-8 would otherwise turn silently into U+FFFD inside
     * names and keys. Most often the answer was cut in the middle of a character, so it is transient
     * ({@link Failure#utf8}); the error says where.
     */
    private String utf8(byte[] body, String endpoint) {
        String text = Failure.utf8(body);
        if (text != null) {
            return text;
        }
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(body);
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                .decode(in, java.nio.CharBuffer.allocate(body.length), true);
        String lossy = new String(body, StandardCharsets.UTF_8);
        throw new UnreadableAnswerException(system + " " + endpoint + " answered bytes that are not UTF-8 (at byte "
                + in.position() + " of " + body.length + (in.position() >= body.length - 3 ? ", cut in a character" : "")
                + "): " + snippet(lossy), lossy);
    }

    public static String snippet(String body) {
        if (body == null) {
            return "(no body)";
        }
        String s = body.strip().replaceAll("\\s+", " ");
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }
}
