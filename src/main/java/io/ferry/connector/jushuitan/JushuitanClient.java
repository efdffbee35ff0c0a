package io.ferry.connector.jushuitan;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.kernel.Records;
import io.ferry.http.ApiHttp;
import io.ferry.http.ApiHttp.Caller;
import io.ferry.kernel.Failure;
import io.ferry.http.CallBudget;
import io.ferry.http.Pacer;
import io.ferry.kernel.SourceException;
import io.ferry.kernel.UnreadableAnswerException;

/**
 * Jushuitan open API v2 (protocols.md §3.1): form-encoded POST of the system parameters and the JSON {@code biz},
 * signed; {@code code == 0} is success; codes 199/200 are the rate limit, waited out and retried under the app
 * key's pace ({@link Pacer}), which they lower; any other code is an error that asking again will not fix.
 */
public class JushuitanClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JushuitanComponent config;
    private final ApiHttp http;
    private static final Pattern PER_SECOND_HINT = Pattern.compile("每秒\\s*(\\d+)\\s*次");
    private static final Pattern PER_MINUTE_HINT = Pattern.compile("每分钟\\s*(\\d+)\\s*次");
    private final Pacer pacer;

    JushuitanClient(JushuitanComponent config, ApiHttp http) {
        this.config = config;
        this.http = http;
        this.pacer = config.pacer();
    }

    /** One signed call; returns {@code data} of a {@code code == 0} answer. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> call(Caller caller, String path, Map<String, Object> biz) {
        return (Map<String, Object>) answer(caller, path, biz).get("data");
    }

    /** One signed call; returns the whole answer when its {@code code} is 0 and it has a {@code data} object. */
    public Map<String, Object> answer(Caller caller, String path, Map<String, Object> biz) {
        String bizJson;
        try {
            bizJson = JSON.writeValueAsString(biz);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("biz cannot be written as JSON: " + e.getMessage(), e);
        }
        URI uri = URI.create(config.getBaseUrl().replaceAll("/+$", "") + path);
        return pacer.call("jushuitan " + path, () -> {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("app_key", config.getAppKey());
            form.put("access_token", config.getAccessToken());
            form.put("timestamp", String.valueOf(System.currentTimeMillis() / 1000));
            form.put("charset", "utf-8");
            form.put("version", "2");
            form.put("biz", bizJson);
            form.put("sign", JushuitanSigner.sign(config.getAppSecret(), form));
            String logged = ApiHttp.formEncode(masked(form));
            ApiHttp.Reply reply = http.post(caller, "pull", uri, "application/x-www-form-urlencoded;charset=UTF-8",
                    ApiHttp.formEncode(form), logged, Map.of());
            Map<String, Object> body = parse(reply, path);
            String code = String.valueOf(body.get("code"));
            String msg = String.valueOf(body.get("msg"));
            http.record(caller, "pull", path, logged, reply, code, "0".equals(code) ? null : msg);
            if ("0".equals(code)) {
                if (!(body.get("data") instanceof Map)) {
                    throw new SourceException("jushuitan " + path + ": code 0 but no data object in the answer", reply.body());
                }
                return Pacer.answered(body);
            }
            Failure failure = classify(code, msg);
            if (failure == Failure.TRANSIENT) {
                return refusal(code, msg);
            }
            throw new SourceException("jushuitan " + path + " answered code " + code + ": " + msg
                    + (failure == Failure.CREDENTIALS ? " (check camel.component.jushuitan.app-key, app-secret and access-token)" : ""));
        });
    }

    /**
     * A transient answer as a refusal: 199 is the limit per second and 200 the one per minute (protocols.md §3.1),
     * with the number when the message says it (每秒5次, 每分钟100次); any other "try again later" is a busy server,
     * waited out without lowering the pace.
     */
    static Pacer.Outcome<Map<String, Object>> refusal(String code, String msg) {
        String answer = "code " + code + " (" + msg + ")";
        CallBudget.Limit limit = "199".equals(code) ? CallBudget.Limit.PER_SECOND
                : "200".equals(code) ? CallBudget.Limit.PER_MINUTE : CallBudget.Limit.BUSY;
        Matcher m = (limit == CallBudget.Limit.PER_SECOND ? PER_SECOND_HINT : PER_MINUTE_HINT).matcher(msg == null ? "" : msg);
        int vendorLimit = limit != CallBudget.Limit.BUSY && m.find() ? Integer.parseInt(m.group(1)) : 0;
        return new Pacer.Outcome.Refused<>(limit, vendorLimit, null, answer);
    }

    /**
     * Jushuitan's codes (protocols.md §3): 0 success (null); 199/200 the rate limit, {@link Failure#TRANSIENT} (waited
     * out, the same page asked again), and so is any answer whose message asks to try again later (请稍后重试, 系统繁忙:
     * the server is busy); 10x the app key, secret or token; anything else the request's.
     */
    static Failure classify(String code, String message) {
        if ("0".equals(code)) {
            return null;
        }
        if ("199".equals(code) || "200".equals(code) || Failure.saysTryAgain(message)) {
            return Failure.TRANSIENT;
        }
        return code.startsWith("10") ? Failure.CREDENTIALS : Failure.CONFIGURATION;
    }

    /** A whole answer as it came off the wire: the transport's rules ({@link Failure#ofAnswer}), then the code. */
    static Failure classify(int status, String contentType, byte[] body) {
        Failure transport = Failure.ofAnswer(status, contentType, body);
        if (transport != null) {
            return transport;
        }
        try {
            Map<?, ?> answer = JSON.readValue(body, Map.class);
            return classify(String.valueOf(answer.get("code")), answer.get("msg") == null ? null : String.valueOf(answer.get("msg")));
        } catch (java.io.IOException e) {
            return Failure.TRANSIENT;
        }
    }

    private Map<String, Object> parse(ApiHttp.Reply reply, String path) {
        String text = reply.body() == null ? "" : reply.body().strip();
        Failure failure = Failure.ofReply(reply.status(), reply.contentType(), text);
        if (failure != null || reply.status() != 200 || !text.startsWith("{")) {
            String why = "jushuitan " + path + " answered HTTP " + reply.status() + " "
                    + (reply.contentType().isEmpty() ? "" : "(" + reply.contentType() + ") ")
                    + "that is not the API's JSON: " + ApiHttp.snippet(text);
            throw failure == Failure.TRANSIENT ? new UnreadableAnswerException(why, reply.body()) : new SourceException(why, reply.body());
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.readValue(text, Map.class);
            return m;
        } catch (JsonProcessingException e) {
            throw new UnreadableAnswerException("jushuitan " + path + " answered malformed JSON (" + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + "): "
                    + ApiHttp.snippet(text), reply.body());
        }
    }

    private static Map<String, String> masked(Map<String, String> form) {
        Map<String, String> m = new LinkedHashMap<>(form);
        m.put("access_token", "***");
        m.put("sign", "***");
        return m;
    }



}
