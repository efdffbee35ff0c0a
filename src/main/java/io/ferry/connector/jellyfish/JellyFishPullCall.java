package io.ferry.connector.jellyfish;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.http.ApiHttp;
import io.ferry.http.ApiHttp.Caller;
import io.ferry.http.Pacer;
import io.ferry.kernel.Failure;
import io.ferry.kernel.source.PageAnswer;
import io.ferry.kernel.source.PageFetcher;
import io.ferry.kernel.source.PageRequest;
import io.ferry.kernel.Records;
import io.ferry.kernel.SourceException;
import io.ferry.kernel.TransientException;
import io.ferry.kernel.UnreadableAnswerException;

/**
 * One pull of system A: POSTs {@code {"offset":"<last>"}} and checks the answer {@code {"code":"0","data":[…]}}
 * (ascending by the offset field, all after the offset sent); the kernel reads the records and moves the run's
 * cursor to the last one's offset (paging lastRecord, end on an empty page).
 * An HTML page or a truncated answer is transient (retried by the route, {@link Failure}); a code other than "0", a
 * {@code data} that is not a list of objects, or a record without its offset value fails the run with the page kept.
 */
class JellyFishPullCall implements PageFetcher {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JellyFishPullEndpoint endpoint;
    private final ApiHttp http;
    private final Pacer pacer;

    JellyFishPullCall(JellyFishPullEndpoint endpoint, ApiHttp http, Pacer pacer) {
        this.endpoint = endpoint;
        this.http = http;
        this.pacer = pacer;
    }

    @Override
    public PageAnswer fetch(PageRequest request) {
        String offset = request.cursor();
        String body = Records.toJson(request.params());
        URI uri = endpoint.uri();
        Caller caller = new Caller(request.run().syncName(), request.run().runId());
        ApiHttp.Reply reply = pacer.call("system A " + uri.getPath(),
                () -> Pacer.answered(http.post(caller, "pull", uri, "application/json; charset=utf-8", body, body, Map.of())));
        Map<String, Object> answer = parse(reply, uri, offset);
        Object code = answer.get("code");
        // A's answer is read into a String field by JellyFish, so a numeric 0 counts as "0" too
        String codeText = code instanceof Number n ? String.valueOf(n.longValue()) : String.valueOf(code);
        http.record(caller, "pull", uri.getPath(), body, reply, codeText, "0".equals(codeText) ? null : String.valueOf(answer.get("msg")));
        Failure failure = classify(codeText, answer.get("msg") == null ? null : String.valueOf(answer.get("msg")));
        if (failure == Failure.TRANSIENT) {
            throw new TransientException("system A " + uri.getPath() + " answered code " + codeText + " for offset " + offset
                    + ": " + answer.get("msg"));
        }
        if (failure != null) {
            throw new SourceException("system A " + uri.getPath() + " answered code " + codeText + " for offset " + offset
                    + (answer.get("msg") == null ? "" : ": " + answer.get("msg")), reply.body());
        }
        checkOffsets(answer.get("data"), uri, offset, reply.body());
        return new PageAnswer(answer, reply.body());
    }

    /**
     * System A's codes (protocols.md §4): "0" (or a number 0) is success (null); a code whose message asks to try
     * again later (系统繁忙，请稍后重试) is {@link Failure#TRANSIENT}; any other code is A's refusal of the request,
     * which the run reports with the page kept.
     */
    static Failure classify(String code, String message) {
        if ("0".equals(code)) {
            return null;
        }
        return Failure.saysTryAgain(message) ? Failure.TRANSIENT : Failure.CONFIGURATION;
    }

    /** A whole answer of A as it came off the wire: the transport's rules, then the code. */
    static Failure classify(int status, String contentType, byte[] body) {
        Failure transport = Failure.ofAnswer(status, contentType, body);
        if (transport != null) {
            return transport;
        }
        try {
            Map<?, ?> answer = JSON.readValue(body, Map.class);
            Object code = answer.get("code");
            return classify(code instanceof Number n ? String.valueOf(n.longValue()) : String.valueOf(code),
                    answer.get("msg") == null ? null : String.valueOf(answer.get("msg")));
        } catch (java.io.IOException e) {
            return Failure.TRANSIENT;
        }
    }

    /** Every record must carry its offset: a record without one could never be pulled past reliably. */
    private void checkOffsets(Object data, URI uri, String offset, String raw) {
        if (!(data instanceof List<?> list)) {
            return; // the records path reports what data is instead
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof Map<?, ?> m && Records.field(m, endpoint.getCursorField()) == null) {
                throw new SourceException("system A " + uri.getPath() + ": data[" + i + "] has no " + endpoint.getCursorField()
                        + " (the offset field) after offset " + offset, raw);
            }
        }
    }

    private static Map<String, Object> parse(ApiHttp.Reply reply, URI uri, String offset) {
        String text = reply.body() == null ? "" : reply.body().strip();
        Failure failure = Failure.ofReply(reply.status(), reply.contentType(), text);
        if (failure != null || reply.status() != 200 || !text.startsWith("{")) {
            String why = "system A " + uri.getPath() + " answered HTTP " + reply.status() + " "
                    + (reply.contentType().isEmpty() ? "" : "(" + reply.contentType() + ") ")
                    + "that is not the pull API's JSON (offset " + offset + "): " + ApiHttp.snippet(text);
            throw failure == Failure.TRANSIENT ? new UnreadableAnswerException(why, reply.body()) : new SourceException(why, reply.body());
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.readValue(text, Map.class);
            return m;
        } catch (JsonProcessingException e) {
            throw new UnreadableAnswerException("system A " + uri.getPath() + " answered malformed JSON (" + e.getOriginalMessage()
                    + ") for offset " + offset + ": " + ApiHttp.snippet(text), reply.body());
        }
    }

}
