package io.ferry.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.ferry.pipeline.TransientException;

/**
 * The HTTP transport of every vendor client: one shared JDK client per vendor, timeouts, error classification
 * (connection failures, timeouts, HTTP 5xx and 429 are transient) and the API-call log.
 */
public class ApiHttp {

    /** Who is calling, for the API-call log. */
    public record Caller(String sync, Long runId) {
        public static final Caller NONE = new Caller(null, null);
    }

    /** A vendor's answer. */
    public record Reply(int status, String contentType, String body, Map<String, java.util.List<String>> headers,
            long latencyMillis) {
    }

    private final String system;
    private final HttpClient client;
    private final Duration readTimeout;
    private volatile ApiCallRecorder recorder = ApiCallRecorder.NONE;

    public ApiHttp(String system, Duration connectTimeout, Duration readTimeout) {
        this.system = system;
        this.readTimeout = readTimeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
    }

    public void setRecorder(ApiCallRecorder recorder) {
        this.recorder = recorder == null ? ApiCallRecorder.NONE : recorder;
    }

    public String system() {
        return system;
    }

    /**
     * POSTs a body and returns the answer when the server answered below 500 (the caller reads the vendor's own
     * code). Throws {@link TransientException} for failures worth retrying.
     *
     * @param loggedRequest the request body as the API-call log may keep it (secrets masked)
     */
    public Reply post(Caller caller, String direction, URI uri, String contentType, String body, String loggedRequest,
            Map<String, String> headers) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(readTimeout).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(rb::header);
        return send(caller, direction, uri, rb.build(), loggedRequest);
    }

    public Reply get(Caller caller, String direction, URI uri, String loggedRequest, Map<String, String> headers) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(readTimeout).GET();
        headers.forEach(rb::header);
        return send(caller, direction, uri, rb.build(), loggedRequest);
    }

    private Reply send(Caller caller, String direction, URI uri, HttpRequest request, String loggedRequest) {
        long start = System.nanoTime();
        String endpoint = uri.getPath();
        try {
            HttpResponse<byte[]> resp = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long ms = (System.nanoTime() - start) / 1_000_000;
            String ct = resp.headers().firstValue("Content-Type").orElse("");
            if (resp.statusCode() >= 500 || resp.statusCode() == 429) {
                String text = new String(resp.body(), java.nio.charset.StandardCharsets.UTF_8);
                record(caller, direction, endpoint, loggedRequest, new Reply(resp.statusCode(), ct, text, resp.headers().map(), ms),
                        null, "HTTP " + resp.statusCode());
                throw new TransientException(system + " " + endpoint + " answered HTTP " + resp.statusCode() + ": " + snippet(text));
            }
            return new Reply(resp.statusCode(), ct, utf8(resp.body(), endpoint), resp.headers().map(), ms);
        } catch (HttpTimeoutException e) {
            fail(caller, direction, endpoint, start, loggedRequest, "timeout");
            throw new TransientException(system + " " + endpoint + " did not answer within " + readTimeout.toSeconds() + " s", e);
        } catch (IOException e) {
            fail(caller, direction, endpoint, start, loggedRequest, e.toString());
            throw new TransientException(system + " " + endpoint + " could not be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException(system + " " + endpoint + ": interrupted", e);
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
            recorder.record(new ApiCall(caller.sync(), caller.runId(), system, direction, endpoint, reply.status(),
                    vendorCode, reply.latencyMillis(), loggedRequest, reply.body(), error, Instant.now()));
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ApiHttp.class).warn("API-call log failed: {}", e.toString());
        }
    }

    /**
     * Every vendor here answers UTF-8; bytes that are not UTF-8 would otherwise turn silently into U+FFFD inside
     * names and keys, so they are an error that says where.
     */
    private String utf8(byte[] body, String endpoint) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(body);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(body.length);
        java.nio.charset.CoderResult r = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(in, out, true);
        if (r.isError()) {
            String lossy = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            throw new io.ferry.pipeline.SourceException(system + " " + endpoint + " answered bytes that are not UTF-8 (at byte "
                    + in.position() + " of " + body.length + "): " + snippet(lossy), lossy);
        }
        return out.flip().toString();
    }

    public static String snippet(String body) {
        if (body == null) {
            return "(no body)";
        }
        String s = body.strip().replaceAll("\\s+", " ");
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }
}
