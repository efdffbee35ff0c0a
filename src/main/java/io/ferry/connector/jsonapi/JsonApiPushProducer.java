package io.ferry.connector.jsonapi;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

import io.ferry.http.ApiHttp;
import io.ferry.http.ApiHttp.Caller;
import io.ferry.kernel.Failure;
import io.ferry.kernel.Records;
import io.ferry.kernel.RowResult;
import io.ferry.kernel.RunContext;
import io.ferry.kernel.TargetConfigurationException;
import io.ferry.kernel.TransientException;
import io.ferry.kernel.source.JsonPath;

/**
 * {@code jsonapi:NAME?operation=push}: sends each row of the batch alone, as the JSON body of a POST (or PUT), with
 * the row's business key in the {@code idempotencyHeader}, and answers per row ({@link RowResult}): a 2xx answer that
 * passes the {@link SuccessPredicate} delivers the row; one that does not is the API's refusal of the row, reported
 * rejected with the answer's message (the pipeline dead-letters it).
 * <p>
 * What is not the API's verdict on the row is thrown for the whole batch: a connection failure, a timeout, HTTP
 * 5xx/408, a 429 waited out too long, an HTML page, an empty or truncated body, or a refusal whose message asks to try
 * again later are a {@link TransientException} (retried by the route; the idempotency key makes a repeated push safe
 * for an API that honours it); 401/403 and any other 4xx are the setup's ({@link TargetConfigurationException}: the
 * run fails at once).
 */
final class JsonApiPushProducer extends DefaultProducer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonApiEndpoint endpoint;

    JsonApiPushProducer(JsonApiEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        List<?> rows = body instanceof List<?> l ? l : List.of(body);
        RunContext run = RunContext.find(exchange);
        Caller caller = run == null ? Caller.NONE : new Caller(run.syncName(), run.runId());
        List<?> keys = exchange.getIn().getHeader(RunContext.ROW_KEYS_HEADER, List.class);
        JsonApiClient client = endpoint.client();
        URI uri = endpoint.uri();
        List<RowResult> results = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Object key = keys != null && i < keys.size() ? keys.get(i) : null;
            results.add(push(client, caller, uri, i, rows.get(i), key == null ? null : String.valueOf(key)));
        }
        exchange.getMessage().setHeader(RowResult.HEADER, results);
    }

    private RowResult push(JsonApiClient client, Caller caller, URI uri, int index, Object row, String key) {
        String json = Records.toJson(row);
        String header = endpoint.getIdempotencyHeader();
        Map<String, String> headers = header == null || header.isBlank() || key == null ? Map.of() : Map.of(header.strip(), key);
        JsonApiClient.Exchanged x = client.send(caller, "push", endpoint.pushMethod(), uri, json, headers);
        ApiHttp.Reply reply = x.reply();
        String text = reply.body() == null ? "" : reply.body().strip();
        String what = endpoint.what() + " " + x.endpoint();
        ApiHttp http = client.http();
        Failure byStatus = reply.status() >= 300 && reply.status() < 400 ? Failure.CONFIGURATION : Failure.ofStatus(reply.status());
        if (byStatus == Failure.CREDENTIALS || byStatus == Failure.CONFIGURATION) {
            http.record(caller, "push", x.endpoint(), x.logged(), reply, null, "HTTP " + reply.status());
            throw new TargetConfigurationException(what + (byStatus == Failure.CREDENTIALS ? " refused the credentials" : " refused the call")
                    + " (HTTP " + reply.status() + "): " + ApiHttp.snippet(text) + "; "
                    + (byStatus == Failure.CREDENTIALS ? client.auth().sources() : "check its url and method"));
        }
        SuccessPredicate success = endpoint.success();
        if (success.anyAnswer() && !text.isEmpty() && Failure.ofBody(reply.contentType(), text) != null) {
            // a gateway's HTML page with a 2xx status: the API never answered
            http.record(caller, "push", x.endpoint(), x.logged(), reply, null, "not JSON");
            throw new TransientException(what + " answered HTTP " + reply.status() + " with a page that is not the API's: "
                    + ApiHttp.snippet(text));
        }
        if (success.anyAnswer()) {
            http.record(caller, "push", x.endpoint(), x.logged(), reply, null, null);
            return RowResult.delivered(index, null);
        }
        Object answer = parse(text);
        if (answer == null) {
            http.record(caller, "push", x.endpoint(), x.logged(), reply, null, "not JSON");
            throw new TransientException(what + " answered HTTP " + reply.status() + " that is not JSON, not its verdict on the row: "
                    + ApiHttp.snippet(text));
        }
        String code = success.valueIn(answer);
        if (success.test(answer)) {
            http.record(caller, "push", x.endpoint(), x.logged(), reply, code, null);
            return RowResult.delivered(index, null);
        }
        String message = message(answer, text);
        String refusal = (code == null ? "no " + success.path() : success.path() + " " + quoted(answer)) + ": " + message;
        http.record(caller, "push", x.endpoint(), x.logged(), reply, code, refusal);
        if (Failure.saysTryAgain(message)) {
            throw new TransientException(what + " asked to try again later: " + refusal);
        }
        return RowResult.rejected(index, endpoint.what() + " answered " + refusal);
    }

    /** The answer's message at {@code messagePath}, else the answer itself (cut short). */
    private String message(Object answer, String text) {
        String path = endpoint.getMessagePath();
        if (path != null && !path.isBlank()) {
            Object m = JsonPath.parse(path).find(answer);
            if (m != JsonPath.MISSING && m != null) {
                return m instanceof String s ? s : Records.toJson(m);
            }
        }
        return ApiHttp.snippet(text);
    }

    private String quoted(Object answer) {
        Object v = JsonPath.parse(endpoint.getSuccessPath()).find(answer);
        return v instanceof String s ? "\"" + s + "\"" : SuccessPredicate.text(v);
    }

    /** The parsed answer, or null when it is no JSON (an HTML page, empty, cut off). */
    private static Object parse(String text) {
        if (Failure.ofBody(null, text) != null) {
            return null;
        }
        try {
            return JSON.readValue(text, Object.class);
        } catch (Exception e) {
            return null;
        }
    }
}
