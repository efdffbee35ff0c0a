package io.ferry.vendor.jellyfish;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.http.ApiHttp;
import io.ferry.http.ApiHttp.Caller;
import io.ferry.pipeline.Records;
import io.ferry.pipeline.RowResult;
import io.ferry.pipeline.SyncRun;
import io.ferry.pipeline.TransientException;

/**
 * {@code jellyfish:push}: POSTs each record of the body (a batch, normally of one) alone as the JSON body to
 * system B. Only an answer whose {@code code} is the string "0" delivers it; any other answer is pushed again
 * after {@code delay} ms (doubled each time when {@code exponential}), and after {@code maxAttempts} the row is
 * reported rejected with B's last answer, so the pipeline dead-letters it and the offset moves on.
 * <p>
 * A connection failure, a timeout or HTTP 5xx/429 is not B's verdict on the record: it is thrown as a
 * {@link TransientException} (retried by the route configuration; the run fails if it persists, with nothing
 * marked). An HTTP 4xx means B's URL or gateway is wrong, not the record, so it is thrown the same way.
 */
class JellyFishPushProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(JellyFishPushProducer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JellyFishEndpoint endpoint;
    private final ApiHttp http;

    JellyFishPushProducer(JellyFishEndpoint endpoint, ApiHttp http) {
        super(endpoint);
        this.endpoint = endpoint;
        this.http = http;
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException {
        Object body = exchange.getIn().getBody();
        List<?> records = body instanceof List<?> l ? l : List.of(body);
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        Caller caller = run == null ? Caller.NONE : new Caller(run.syncName(), run.runId());
        URI uri = endpoint.uri();
        List<RowResult> results = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            results.add(push(caller, uri, i, records.get(i)));
        }
        exchange.getMessage().setHeader(RowResult.HEADER, results);
    }

    private RowResult push(Caller caller, URI uri, int index, Object record) throws InterruptedException {
        String json = Records.toJson(record);
        String id = record instanceof Map<?, ?> m && m.get("id") != null ? String.valueOf(m.get("id")) : "#" + index;
        String last = null;
        for (int attempt = 1; attempt <= endpoint.getMaxAttempts(); attempt++) {
            ApiHttp.Reply reply = http.post(caller, "push", uri, "application/json; charset=utf-8", json, json, Map.of());
            if (reply.status() >= 400) {
                http.record(caller, "push", uri.getPath(), json, reply, null, "HTTP " + reply.status());
                throw new TransientException("system B " + uri.getPath() + " answered HTTP " + reply.status()
                        + " (check its url): " + ApiHttp.snippet(reply.body()));
            }
            Object code = code(reply.body());
            if ("0".equals(code)) {
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
