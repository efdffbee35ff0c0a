package io.ferry.connector.wangdiantong;

import java.net.URI;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.http.ApiHttp;
import io.ferry.http.ApiHttp.Caller;
import io.ferry.http.CallBudget;
import io.ferry.http.Pacer;
import io.ferry.kernel.Failure;
import io.ferry.kernel.SourceException;
import io.ferry.kernel.UnreadableAnswerException;
import io.ferry.connector.wangdiantong.WangdiantongComponent.Style;

/**
 * Wangdiantong 旗舰版 paged queries in either style (protocols.md §2):
 * <ul>
 * <li>direct: {@code POST {base-url}/openapi}, system parameters in the query string, the business arguments as
 * a JSON array body, {@code page_no} from 0, answer {@code {"status":0,"data":{"total_count":…,"details":[…]}}};</li>
 * <li>qimen: a Qimen router call, every parameter in the query string, {@code pager} with {@code page_no} from 1,
 * answer {@code {"response":{"status":0,"data":{…}}}} or {@code {"response":{"flag":"failure",…}}}.</li>
 * </ul>
 * What an answer means is {@link #classify}: status 100 with the per-minute call or concurrency limit message is
 * waited out under the app key's pace ({@link Pacer}), which it lowers, and the same page asked again; an HTML page or a truncated answer is retried by the route; any other
 * non-zero status is an error that asking again will not fix.
 */
public class WangdiantongClient {

    /** Seconds between the Unix epoch and 2012-01-01 00:00:00 +08:00, the direct API's time base. */
    static final long EPOCH_2012 = 1_325_347_200L;
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    static final String RATE_LIMIT_CALLS = "超过每分钟最大调用频率限制";
    static final String RATE_LIMIT_CONCURRENCY = "超过每分钟最大并发次数限制";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WangdiantongComponent config;
    private final ApiHttp http;
    private final Pacer pacer;

    WangdiantongClient(WangdiantongComponent config, ApiHttp http) {
        this.config = config;
        this.http = http;
        this.pacer = config.pacer();
    }

    /** The vendor's parsed answer, whichever style. */
    private record Answer(String status, String message, Map<String, Object> data, Object outerTotal, String raw,
            boolean routerFailure) {
        Answer(String status, String message, Map<String, Object> data, Object outerTotal, String raw) {
            this(status, message, data, outerTotal, raw, false);
        }

        boolean ok() {
            return "0".equals(status);
        }
    }

    /**
     * Asks for one page; returns the answer as {@code {"data":{…},"total":…}} whichever the style (the Qimen
     * envelope's {@code response} unwrapped), so that a records path such as {@code data.details} reads both.
     */
    public Map<String, Object> page(Caller caller, Style style, String method, int pageNo, int pageSize, Map<String, Object> params) {
        return pacer.call("wangdiantong " + method, () -> {
            Answer a = style == Style.DIRECT ? callDirect(caller, method, pageNo, pageSize, params)
                    : callQimen(caller, method, pageNo, pageSize, params);
            if (a.ok()) {
                return Pacer.answered(toAnswer(a, method, pageNo));
            }
            Failure failure = classify(a);
            if (failure == Failure.TRANSIENT) {
                return Pacer.refused(limitHit(a), "status " + a.status() + " (" + a.message() + ")");
            }
            throw new SourceException("wangdiantong " + method + " page " + pageNo + " answered status " + a.status()
                    + ": " + a.message() + hint(a), a.raw());
        });
    }

    /**
     * Which limit a rate-limit answer names: calls at once, or calls in a window (the message says per minute, but
     * says so whatever the window: the budget finds out which from the calls it counted).
     */
    static CallBudget.Limit limitHit(Answer a) {
        String m = a.message() == null ? "" : a.message();
        return m.contains(RATE_LIMIT_CONCURRENCY) ? CallBudget.Limit.CONCURRENT : CallBudget.Limit.UNKNOWN;
    }

    static boolean isRateLimit(Answer a) {
        String m = a.message() == null ? "" : a.message();
        return m.contains(RATE_LIMIT_CALLS) || m.contains(RATE_LIMIT_CONCURRENCY);
    }

    /**
     * Wangdiantong's answers (protocols.md §2): status 0 success (null); the per-minute call or concurrency limit
     * (status 100, 超过每分钟最大…限制，请稍后重试) {@link Failure#TRANSIENT}, waited out and the same page asked again; the
     * Qimen router's refusal and status 1 the keys; anything else the request's.
     */
    static Failure classify(Answer a) {
        if (a.ok()) {
            return null;
        }
        if (isRateLimit(a)) {
            return Failure.TRANSIENT;
        }
        if (unknownMethod(a)) {
            return Failure.CONFIGURATION;
        }
        return a.routerFailure() || "1".equals(a.status()) ? Failure.CREDENTIALS : Failure.CONFIGURATION;
    }

    /** The direct API's 方法不存在 (status 1, which otherwise means the keys) or the Qimen router's invalid-method. */
    static boolean unknownMethod(Answer a) {
        String m = a.message() == null ? "" : a.message();
        return m.contains("方法不存在") || m.contains("invalid-method") || m.contains("Invalid method");
    }

    /** A whole answer of either style as it came off the wire: the transport's rules, then the envelope. */
    static Failure classify(Style style, int status, String contentType, byte[] body) {
        Failure transport = Failure.ofAnswer(status, contentType, body);
        if (transport != null) {
            return transport;
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> root = JSON.readValue(body, Map.class);
            Answer a = style == Style.DIRECT ? directAnswer(root, null) : qimenAnswer(root, null);
            return a == null ? Failure.CONFIGURATION : classify(a); // JSON without the Qimen envelope: not a passing fault
        } catch (java.io.IOException e) {
            return Failure.TRANSIENT;
        }
    }

    private static String hint(Answer a) {
        if (a.routerFailure()) {
            return " (the Qimen router refused the call: check camel.component.wangdiantong.qimen-app-key, qimen-secret"
                    + " and target-app-key)";
        }
        if (unknownMethod(a)) {
            return " (Wangdiantong does not know this method: check its name and the style; direct methods look like"
                    + " setting.Shop.queryShop, Qimen ones like wdt.setting.shop.queryshop)";
        }
        if ("1".equals(a.status())) {
            return " (check camel.component.wangdiantong.sid, app-key and app-secret)";
        }
        if ("7".equals(a.status())) {
            return " (the timestamp was refused: check the machine's clock)";
        }
        return "";
    }

    private static Map<String, Object> toAnswer(Answer a, String method, int pageNo) {
        if (a.data() == null) {
            throw new SourceException("wangdiantong " + method + " page " + pageNo + ": status 0 but no data object in the answer", a.raw());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("data", a.data());
        // data.total_count per the shop doc; the official Java SDK reads a top-level total (protocols.md §2.1 CONFLICT)
        if (a.outerTotal() != null) {
            answer.put("total", a.outerTotal());
        }
        return answer;
    }

    private Answer callDirect(Caller caller, String method, int pageNo, int pageSize, Map<String, Object> params) {
        String body = json(List.of(params));
        Map<String, String> q = new LinkedHashMap<>();
        q.put("sid", config.getSid());
        q.put("key", config.getAppKey());
        q.put("salt", config.salt());
        q.put("method", method);
        q.put("v", "1.0");
        q.put("timestamp", String.valueOf(System.currentTimeMillis() / 1000 - EPOCH_2012));
        q.put("page_size", String.valueOf(pageSize));
        q.put("page_no", String.valueOf(pageNo));
        q.put("calc_total", "1");
        Map<String, String> signed = new LinkedHashMap<>(q);
        signed.put("body", body);
        q.put("sign", WangdiantongSigner.direct(config.secret(), signed));
        URI uri = URI.create(config.getBaseUrl().replaceAll("/+$", "") + "/openapi?" + ApiHttp.formEncode(q));
        String logged = ApiHttp.formEncode(masked(q)) + "\n" + body;
        ApiHttp.Reply reply = http.post(caller, "pull", uri, "application/json; charset=utf-8", body, logged, Map.of());
        Answer a = directAnswer(parse(reply, method, pageNo), reply.body());
        http.record(caller, "pull", uri.getPath(), logged, reply, a.status(), a.ok() ? null : a.message());
        return a;
    }

    private Answer callQimen(Caller caller, String method, int pageNo, int pageSize, Map<String, Object> params) {
        String now = ZonedDateTime.now(CHINA).format(DATETIME);
        Map<String, Object> pager = new LinkedHashMap<>();
        pager.put("page_no", pageNo);
        pager.put("page_size", pageSize);
        Map<String, String> q = new LinkedHashMap<>();
        q.put("app_key", config.getQimenAppKey());
        q.put("method", method);
        q.put("format", "json");
        q.put("v", "2.0");
        q.put("sign_method", "md5");
        q.put("target_app_key", config.getTargetAppKey());
        q.put("timestamp", now);
        q.put("wdt3_customer_id", config.getSid());
        q.put("datetime", now);
        q.put("wdt_appkey", config.getAppKey());
        q.put("wdt_salt", config.salt());
        q.put("params", json(params));
        q.put("pager", json(pager));
        q.put("calc_total", "1");
        q.put("wdt_sign", WangdiantongSigner.wdtSign(config.secret(), q));
        q.put("sign", WangdiantongSigner.top(config.getQimenSecret(), "md5", q));
        URI uri = URI.create(config.getQimenUrl() + (config.getQimenUrl().contains("?") ? "&" : "?") + ApiHttp.formEncode(q));
        String logged = ApiHttp.formEncode(masked(q));
        ApiHttp.Reply reply = http.get(caller, "pull", uri, logged, Map.of());
        Answer a = qimenAnswer(parse(reply, method, pageNo), reply.body());
        if (a == null) {
            throw new SourceException("wangdiantong " + method + " page " + pageNo + ": the Qimen answer has no response object: "
                    + ApiHttp.snippet(reply.body()), reply.body());
        }
        http.record(caller, "pull", uri.getPath(), logged, reply, a.status(), a.ok() ? null : a.message());
        return a;
    }

    private static Answer directAnswer(Map<String, Object> root, String raw) {
        return new Answer(text(root.get("status")), text(root.get("message")), map(root.get("data")), root.get("total"), raw);
    }

    /** The Qimen envelope (a response, a failure, or the TOP router's error_response); null when it has none. */
    private static Answer qimenAnswer(Map<String, Object> root, String raw) {
        Map<String, Object> response = map(root.get("response"));
        if (response == null && root.get("error_response") instanceof Map) {
            // the plain TOP router error envelope
            Map<String, Object> err = map(root.get("error_response"));
            return new Answer(text(err.get("code")), describe(err), null, null, raw, true);
        }
        if (response == null) {
            return null;
        }
        if ("failure".equals(response.get("flag"))) {
            return new Answer(text(response.get("code")), describe(response), null, null, raw, true);
        }
        Object status = response.get("status");
        // a success may carry flag:"success" without a status (protocols.md §2.2 UNCONFIRMED)
        String st = status == null && "success".equals(response.get("flag")) ? "0" : text(status);
        Object total = response.get("total_count") != null ? response.get("total_count") : response.get("total");
        return new Answer(st, text(response.get("message")), map(response.get("data")), total, raw);
    }

    private static String describe(Map<String, Object> failure) {
        StringBuilder sb = new StringBuilder();
        Object msg = failure.get("message") != null ? failure.get("message") : failure.get("msg");
        sb.append(msg == null ? "" : msg);
        if (failure.get("sub_code") != null || failure.get("sub_message") != null || failure.get("sub_msg") != null) {
            Object sub = failure.get("sub_message") != null ? failure.get("sub_message") : failure.get("sub_msg");
            Object code = failure.get("sub_code");
            sb.append(" (").append(code == null ? "" : code).append(code != null && sub != null ? ": " : "")
                    .append(sub == null ? "" : sub).append(')');
        }
        return sb.toString();
    }

    private static Map<String, Object> parse(ApiHttp.Reply reply, String method, int pageNo) {
        String text = reply.body() == null ? "" : reply.body().strip();
        Failure failure = Failure.ofReply(reply.status(), reply.contentType(), text);
        if (failure != null || reply.status() != 200 || !text.startsWith("{")) {
            String why = "wangdiantong " + method + " page " + pageNo + " answered HTTP " + reply.status() + " "
                    + (reply.contentType().isEmpty() ? "" : "(" + reply.contentType() + ") ")
                    + "that is not the API's JSON: " + ApiHttp.snippet(text);
            throw failure == Failure.TRANSIENT ? new UnreadableAnswerException(why, reply.body()) : new SourceException(why, reply.body());
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.readValue(text, Map.class);
            return m;
        } catch (JsonProcessingException e) {
            throw new UnreadableAnswerException("wangdiantong " + method + " page " + pageNo + " answered malformed JSON ("
                    + e.getOriginalMessage() + "): " + ApiHttp.snippet(text), reply.body());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : null;
    }

    private static String text(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof Double d && d == Math.rint(d)) {
            return String.valueOf(d.longValue());
        }
        return o.toString();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> masked(Map<String, String> q) {
        Map<String, String> m = new LinkedHashMap<>(q);
        m.replace("sign", "***");
        m.replace("wdt_sign", "***");
        return m;
    }
}
