package io.ferry.connector.jellyfish;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.http.ApiHttp;
import io.ferry.http.ApiHttp.Caller;
import io.ferry.http.Pacer;
import io.ferry.kernel.Failure;
import io.ferry.kernel.Records;
import io.ferry.kernel.RowResult;
import io.ferry.kernel.RunContext;
import io.ferry.kernel.TargetConfigurationException;
import io.ferry.kernel.TransientException;

/**
 * {@code jellyfish:push}: POSTs each record of the body (a batch, normally of one) alone as the JSON body to
 * system B. Only an answer whose {@code code} is the string "0" delivers it; any other answer is pushed again
 * after {@code delay} ms (doubled each time when {@code exponential}), and after {@code maxAttempts} the row is
 * reported rejected with B's last answer, so the pipeline dead-letters it and the offset moves on.
 * <p>
 * A connection failure, a timeout, HTTP 5xx/408/429, an HTML page (a gateway's, status 200 too) or a truncated reply
 * is not B's verdict on the record ({@link #classify}): it is thrown as a {@link TransientException} (retried by the
 * route configuration; the run fails if it persists, with nothing marked). Another HTTP 4xx means B's URL or gateway
 * is wrong, not the record: a {@link TargetConfigurationException} fails the run at once.
 * <p>
 * Each push carries the record's business key in the {@code idempotencyHeader} ({@code Idempotency-Key}): the same
 * value in every attempt, retry and run, so a B that remembers the keys it processed can answer a push repeated
 * after a lost reply with "0" without storing the record twice.
 */
class JellyFishPushProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(JellyFishPushProducer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JellyFishEndpoint endpoint;
    private final ApiHttp http;
    private final Supplier<Pacer> pacer;

    /** @param pacer B's budget, looked up on the first push (B's url may be unset until a sync is configured) */
    JellyFishPushProducer(JellyFishEndpoint endpoint, ApiHttp http, Supplier<Pacer> pacer) {
        super(endpoint);
        this.endpoint = endpoint;
        this.http = http;
        this.pacer = pacer;
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException {
        Object body = exchange.getIn().getBody();
        List<?> records = body instanceof List<?> l ? l : List.of(body);
        RunContext run = RunContext.find(exchange);
        Caller caller = run == null ? Caller.NONE : new Caller(run.syncName(), run.runId());
        URI uri = endpoint.uri();
        List<?> keys = exchange.getIn().getHeader(RunContext.ROW_KEYS_HEADER, List.class);
        List<RowResult> results = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            Object key = keys != null && i < keys.size() ? keys.get(i) : null;
            results.add(push(caller, uri, i, records.get(i), key == null ? null : String.valueOf(key)));
        }
        exchange.getMessage().setHeader(RowResult.HEADER, results);
    }

    /** @param key the record's business key; null outside a sync run (then the record's {@code id}, if any) */
    private RowResult push(Caller caller, URI uri, int index, Object record, String key) throws InterruptedException {
        String json = Records.toJson(record);
        String recordId = record instanceof Map<?, ?> m && m.get("id") != null ? String.valueOf(m.get("id")) : null;
        String id = recordId != null ? recordId : "#" + index;
        String idempotencyKey = key != null ? key : recordId;
        Map<String, String> headers = endpoint.getIdempotencyHeader().isEmpty() || idempotencyKey == null ? Map.of()
                : Map.of(endpoint.getIdempotencyHeader(), idempotencyKey);
        String last = null;
        for (int attempt = 1; attempt <= endpoint.getMaxAttempts(); attempt++) {
            ApiHttp.Reply reply = pacer.get().call("system B " + uri.getPath(),
                    () -> Pacer.answered(http.post(caller, "push", uri, "application/json; charset=utf-8", json, json, headers)));
            Object code = code(reply.body());
            Failure failure = classify(reply.status(), reply.contentType(), reply.body());
            if (failure == Failure.TRANSIENT || failure == Failure.CONFIGURATION || failure == Failure.CREDENTIALS) {
                http.record(caller, "push", uri.getPath(), json, reply, null, "HTTP " + reply.status());
                String why = "system B " + uri.getPath() + " answered HTTP " + reply.status();
                if (failure == Failure.TRANSIENT) {
                    throw new TransientException(why + " that is not B's verdict on the record: " + ApiHttp.snippet(reply.body()));
                }
                throw new TargetConfigurationException(why + " (check its url): " + ApiHttp.snippet(reply.body()));
            }
            if (failure == null) {
                http.record(caller, "push", uri.getPath(), json, reply, "0", null);
                return RowResult.delivered(index, null);
            }
            last = code == null ? "HTTP " + reply.status() + " without a JSON code: " + ApiHttp.snippet(reply.body())
                    : "code " + (code instanceof String ? "\"" + code + "\"" : code) + ": " + ApiHttp.snippet(reply.body());
            http.record(caller, "push", uri.getPath(), json, reply, code == null ? null : String.valueOf(code), last);
            if (attempt < endpoint.getMaxAttempts()) {
                long wait = endpoint.delayAfter(attempt);
                LOG.info("{}: system B refused record {} ({}), attempt {}/{}; pushing again in {} ms", caller.sync(), id, last,
                        attempt, endpoint.getMaxAttempts(), wait);
                Thread.sleep(wait);
            }
        }
        return RowResult.rejected(index, "B answered " + last + " on each of " + endpoint.getMaxAttempts() + " attempts",
                endpoint.getMaxAttempts());
    }

    /**
     * B's replies: the transport's rules ({@link Failure#ofStatus}, {@link Failure#ofBody}: 5xx, 408, 429, an HTML
     * page, an empty or truncated body are transient, another 4xx is the URL's); then the string code "0" delivers
     * (null) and any other JSON reply is B's refusal of the record, {@link Failure#REJECTED_ROW} (pushed again, then
     * dead-lettered).
     */
    static Failure classify(int status, String contentType, String body) {
        Failure transport = Failure.ofReply(status, contentType, body);
        if (transport != null) {
            return transport;
        }
        Object code = code(body);
        if (code == null && !isJson(body)) {
            return Failure.TRANSIENT; // cut off: B's answer never arrived whole
        }
        return "0".equals(code) ? null : Failure.REJECTED_ROW;
    }

    private static boolean isJson(String body) {
        try {
            JSON.readTree(body);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The reply's {@code code} as it is typed in the JSON, or null when the reply is no JSON object. */
    private static Object code(String body) {
        if (body == null || !body.strip().startsWith("{")) {
            return null;
        }
        try {
            Object parsed = JSON.readValue(body, Map.class).get("code");
            return parsed;
        } catch (Exception e) {
            return null;
        }
    }
}
