package io.ferry.connector.kingdee;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.http.ApiHttp;
import io.ferry.http.ApiHttp.Caller;
import io.ferry.http.CallBudget;
import io.ferry.http.Pacer;
import io.ferry.kernel.ConfigurationException;
import io.ferry.kernel.Failure;
import io.ferry.kernel.SourceException;
import io.ferry.kernel.TargetConfigurationException;
import io.ferry.kernel.TransientException;

/**
 * Kingdee K3Cloud WebAPI (protocols.md §1): every call is a JSON POST to {@code <base-url><service>.common.kdsvc}
 * inside a session opened by one of the three logins. The session ({@code kdservice-sessionid} and
 * {@code ASP.NET_SessionId}) is reused across calls; when the server answers MsgCode 1 (会话信息已丢失) the client
 * logs in again once and repeats the call. What an answer means is decided by {@link #classify} (the table is in
 * docs/connectors/kingdee.md): HTTP 5xx, HTML pages, truncated answers, {@code response_error:}, MsgCode 14 (调用限制)
 * and a deadlock (MsgCode 6 …死锁…请重新运行该事务) of a whole call are thrown as {@link TransientException}.
 * A login Kingdee refuses is a {@link KingdeeLoginException}, and it is not tried again in the same run: every
 * later call of that run fails with the same message at once, so a wrong password costs one login per run
 * (repeated logins can lock the account), whatever the batches in flight.
 */
public class KingdeeClient {

    static final String AUTH = "Kingdee.BOS.WebApi.ServicesStub.AuthService.";
    static final String FORM = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.";
    static final int MSG_SESSION_LOST = 1;
    static final int MSG_CALL_LIMIT = 14;

    private static final Logger LOG = LoggerFactory.getLogger(KingdeeClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The session cookies the server set at login. */
    private record Session(String kdServiceSessionId, String aspNetSessionId) {
    }

    private final KingdeeComponent config;
    private final ApiHttp http;
    private final Pacer pacer;
    private Session session; // guarded by this
    /** The run whose login Kingdee refused, and its message (guarded by this). */
    private Long refusedRun;
    private String refusal;

    KingdeeClient(KingdeeComponent config, ApiHttp http) {
        this.config = config;
        this.http = http;
        this.pacer = config.pacer();
    }

    /**
     * A Save-style call ({@code BatchSave}, {@code Save}, {@code View} …) of one form; returns the answer's
     * {@code Result} object.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> formCall(Caller caller, String operation, String formId, Map<String, Object> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("formid", formId);
        body.put("data", data);
        Object answer = call(caller, FORM + operation, body);
        if (!(answer instanceof Map<?, ?> m) || !(m.get("Result") instanceof Map)) {
            throw new TransientException("kingdee " + operation + " answered without a Result object: " + ApiHttp.snippet(String.valueOf(answer)));
        }
        return (Map<String, Object>) m.get("Result");
    }

    /** ExecuteBillQuery for a sink's look-up: the rows, each a list of values in FieldKeys order. */
    public List<List<Object>> executeBillQuery(Caller caller, Map<String, Object> query) {
        Object answer = call(caller, FORM + "ExecuteBillQuery", Map.of("data", query));
        Map<String, Object> status = responseStatus(answer);
        if (status != null) {
            String why = "kingdee ExecuteBillQuery of " + query.get("FormId") + " failed: " + messages(status) + " (MsgCode "
                    + status.get("MsgCode") + ")";
            switch (classify(status)) {
            case TRANSIENT -> throw new TransientException(why);
            case CONFIGURATION, CREDENTIALS -> throw new TargetConfigurationException(why);
            default -> throw new KingdeeException(why);
            }
        }
        return rows(answer);
    }

    /**
     * ExecuteBillQuery as a source's page: the rows, each a list of values in FieldKeys order. An error in the answer
     * is classified by {@link #classifyQuery}: the route's (an unknown form, field, filter or parameter) is a
     * {@link ConfigurationException}, a deadlock transient, anything else a {@link SourceException}.
     */
    public List<List<Object>> queryPage(Caller caller, Map<String, Object> query) {
        Object answer = call(caller, FORM + "ExecuteBillQuery", Map.of("data", query));
        Map<String, Object> status = responseStatus(answer);
        if (status != null) {
            String form = String.valueOf(query.get("FormId"));
            String why = isUnknownForm(status)
                    ? "kingdee: the form " + form + " does not exist on this server (ExecuteBillQuery answered MsgCode " + status.get("MsgCode")
                            + ": " + messages(status) + "); check formId on kingdee:query"
                    : "kingdee ExecuteBillQuery of " + form + " failed: " + messages(status) + " (MsgCode " + status.get("MsgCode") + ")";
            switch (classifyQuery(status)) {
            case TRANSIENT -> throw new TransientException(why);
            case CONFIGURATION, CREDENTIALS -> throw new ConfigurationException(why.contains("check formId") ? why
                    : why + "; check formId, fieldKeys, filter and orderBy on kingdee:query");
            default -> throw new SourceException(why, String.valueOf(answer));
            }
        }
        return rows(answer);
    }

    /** MsgCode 4 (an unknown form, a filter the server cannot read), 8 (a parameter) and 9 (a field) are the query's own. */
    static Failure classifyQuery(Map<String, Object> status) {
        Failure f = classify(status);
        if (f == Failure.TRANSIENT) {
            return f;
        }
        return QUERY_CONFIGURATION_CODES.contains(msgCode(status)) ? Failure.CONFIGURATION : f;
    }

    private static final Set<Integer> QUERY_CONFIGURATION_CODES = Set.of(2, 4, 5, 7, 8, 9);

    private static List<List<Object>> rows(Object answer) {
        if (!(answer instanceof List<?> rows)) {
            throw new TransientException("kingdee ExecuteBillQuery answered something other than rows: " + ApiHttp.snippet(String.valueOf(answer)));
        }
        List<List<Object>> out = new ArrayList<>(rows.size());
        for (Object row : rows) {
            if (!(row instanceof List<?> values)) {
                throw new TransientException("kingdee ExecuteBillQuery answered a row that is not a list: " + ApiHttp.snippet(String.valueOf(row)));
            }
            out.add(new ArrayList<>(values));
        }
        return out;
    }

    /**
     * One call under the account's pace: MsgCode 14 (调用限制, which names no window) is waited out and the call made
     * again, lowering the pace (io.ferry.http.Pacer).
     */
    private Object call(Caller caller, String service, Map<String, Object> body) {
        return pacer.call("kingdee " + shortName(service), () -> {
            Object answer = config.method().logsIn() ? sessionCall(caller, service, body) : signedCall(caller, service, body);
            Map<String, Object> status = responseStatus(answer);
            return msgCode(status) == MSG_CALL_LIMIT
                    ? Pacer.refused(CallBudget.Limit.UNKNOWN, "MsgCode 14 (" + messages(status) + ")")
                    : Pacer.answered(answer);
        });
    }

    private Object sessionCall(Caller caller, String service, Map<String, Object> body) {
        Session used = currentSession(caller);
        Object answer = send(caller, service, body, used);
        if (msgCode(responseStatus(answer)) == MSG_SESSION_LOST) {
            LOG.info("kingdee: the session was lost; logging in again");
            Session fresh = renew(caller, used);
            answer = send(caller, service, body, fresh);
            if (msgCode(responseStatus(answer)) == MSG_SESSION_LOST) {
                throw new KingdeeLoginException("kingdee " + shortName(service) + " still answers 会话信息已丢失 right after a new login"
                        + "; check " + config.credentialsToCheck());
            }
        }
        Map<String, Object> status = responseStatus(answer);
        if (msgCode(status) != MSG_CALL_LIMIT && isWholeCallFailure(status) && classify(status) == Failure.TRANSIENT) {
            throw new TransientException("kingdee " + shortName(service) + " answered MsgCode " + status.get("MsgCode") + ": "
                    + messages(status) + " (asking again)");
        }
        return answer;
    }

    /**
     * A call signed with the X-Api headers: no session. MsgCode 1 then means the server did not accept the signature
     * or the credentials in it (protocols.md §1.3: seen only with wrong credentials), so it is not asked again.
     */
    private Object signedCall(Caller caller, String service, Map<String, Object> body) {
        String json = write(body);
        URI uri = uri(service);
        Map<String, String> headers = new LinkedHashMap<>(KingdeeApiSigner.headers(config.getAppId(), config.getAppSecret(),
                config.getAcctId(), config.getUsername(), config.getLcid(), config.getOrgNum(), uri.getRawPath(),
                String.valueOf(System.currentTimeMillis() / 1000)));
        ApiHttp.Reply reply = http.post(caller, "push", uri, "application/json; charset=utf-8", json, json, headers);
        Object answer = read(caller, service, uri, json, reply);
        Map<String, Object> status = responseStatus(answer);
        if (msgCode(status) == MSG_SESSION_LOST) {
            throw new KingdeeLoginException("kingdee " + shortName(service) + " refused the request's X-Api signature ("
                    + messages(status) + "); check " + config.credentialsToCheck());
        }
        if (msgCode(status) != MSG_CALL_LIMIT && isWholeCallFailure(status) && classify(status) == Failure.TRANSIENT) {
            throw new TransientException("kingdee " + shortName(service) + " answered MsgCode " + status.get("MsgCode") + ": "
                    + messages(status) + " (asking again)");
        }
        return answer;
    }

    private synchronized Session currentSession(Caller caller) {
        if (session == null) {
            session = loginOncePerRun(caller);
        }
        return session;
    }

    /** Logs in again unless another call already replaced the stale session. */
    private synchronized Session renew(Caller caller, Session stale) {
        if (session == null || session == stale) {
            session = loginOncePerRun(caller);
        }
        return session;
    }

    /** A login, unless Kingdee refused this run's login already: then its answer again, without asking. */
    private Session loginOncePerRun(Caller caller) {
        if (refusal != null && caller.runId() != null && caller.runId().equals(refusedRun)) {
            throw new KingdeeLoginException(refusal);
        }
        try {
            Session s = login(caller);
            refusedRun = null;
            refusal = null;
            return s;
        } catch (KingdeeLoginException e) {
            refusedRun = caller.runId();
            refusal = e.getMessage();
            throw e;
        }
    }

    /** Forgets the session, so that the next call logs in (used when the component stops). */
    synchronized void logout() {
        session = null;
    }

    private Object send(Caller caller, String service, Map<String, Object> body, Session s) {
        String json = write(body);
        Map<String, String> headers = new LinkedHashMap<>();
        StringBuilder cookie = new StringBuilder("Theme=standard");
        if (s.kdServiceSessionId() != null) {
            cookie.append("; kdservice-sessionid=").append(s.kdServiceSessionId());
            headers.put("kdservice-sessionid", s.kdServiceSessionId());
        }
        if (s.aspNetSessionId() != null) {
            cookie.append("; ASP.NET_SessionId=").append(s.aspNetSessionId());
        }
        headers.put("Cookie", cookie.toString());
        URI uri = uri(service);
        ApiHttp.Reply reply = http.post(caller, "push", uri, "application/json; charset=utf-8", json, json, headers);
        return read(caller, service, uri, json, reply);
    }

    private Object read(Caller caller, String service, URI uri, String logged, ApiHttp.Reply reply) {
        String text = reply.body() == null ? "" : reply.body().strip();
        String op = shortName(service);
        if (reply.status() != 200 && reply.status() != 206) {
            http.record(caller, "push", uri.getPath(), logged, reply, null, "HTTP " + reply.status());
            String why = "kingdee " + op + " answered HTTP " + reply.status() + ": " + ApiHttp.snippet(text);
            if (Failure.ofStatus(reply.status()) == Failure.CONFIGURATION) {
                throw new TargetConfigurationException(why + " (check camel.component.kingdee.base-url)");
            }
            throw new TransientException(why);
        }
        if (text.startsWith(RESPONSE_ERROR)) {
            // the server's own exception envelope (KDException): a failure of the call, not a verdict on the rows
            http.record(caller, "push", uri.getPath(), logged, reply, null, "response_error");
            throw new TransientException("kingdee " + op + " answered response_error: " + errorMessage(text.substring(RESPONSE_ERROR.length())));
        }
        Object answer = Failure.ofBody(reply.contentType(), text) == null ? parseJson(text) : null;
        if (answer == null) {
            // an HTML page (a gateway's, even with status 200), an empty or truncated answer: transient (Failure#ofBody)
            http.record(caller, "push", uri.getPath(), logged, reply, null, "not JSON");
            throw new TransientException("kingdee " + op + " answered HTTP " + reply.status() + " that is not the API's JSON: "
                    + ApiHttp.snippet(text));
        }
        Map<String, Object> status = responseStatus(answer);
        boolean failed = status != null && !Boolean.TRUE.equals(status.get("IsSuccess")) && !"true".equals(String.valueOf(status.get("IsSuccess")));
        http.record(caller, "push", uri.getPath(), logged, reply, status == null ? null : String.valueOf(status.get("MsgCode")),
                failed ? messages(status) : null);
        return answer;
    }

    private Session login(Caller caller) {
        KingdeeLoginMethod method = config.method();
        List<Object> params = new ArrayList<>();
        List<Object> logged = new ArrayList<>();
        params.add(config.getAcctId());
        params.add(config.getUsername());
        switch (method) {
        case SIGN -> {
            String ts = String.valueOf(System.currentTimeMillis() / 1000);
            params.add(config.getAppId());
            params.add(ts);
            params.add(KingdeeSigner.loginSign(config.getAcctId(), config.getUsername(), config.getAppId(), config.getAppSecret(), ts));
        }
        case APP_SECRET -> {
            params.add(config.getAppId());
            params.add(config.getAppSecret());
        }
        case PASSWORD -> params.add(config.getPassword());
        }
        params.add(config.getLcid());
        logged.addAll(params);
        // the signature, app secret or password sits just before lcid
        logged.set(logged.size() - 2, "***");
        String json = write(Map.of("parameters", params));
        String loggedJson = write(Map.of("parameters", logged));
        URI uri = uri(AUTH + method.service());
        ApiHttp.Reply reply = http.post(caller, "push", uri, "application/json; charset=utf-8", json, loggedJson, Map.of());
        ApiHttp.Reply masked = new ApiHttp.Reply(reply.status(), reply.contentType(), maskSession(reply.body()), reply.headers(),
                reply.latencyMillis());
        Object answer = read(caller, method.service(), uri, loggedJson, masked);
        Map<?, ?> result = answer instanceof Map<?, ?> m ? m : Map.of();
        Object type = result.get("LoginResultType");
        if (!(type instanceof Number n) || n.intValue() != 1) {
            throw new KingdeeLoginException("kingdee " + method.service() + " refused the login (LoginResultType " + type + "): "
                    + result.get("Message") + "; check " + config.credentialsToCheck() + " (not tried again in this run)");
        }
        String kd = cookie(reply, "kdservice-sessionid");
        String asp = cookie(reply, "ASP.NET_SessionId");
        if (kd == null && result.get("KDSVCSessionId") instanceof String sid && !sid.isEmpty()) {
            kd = sid;
        }
        if (kd == null && asp == null) {
            throw new KingdeeLoginException("kingdee " + method.service() + " logged in but gave no session id (no cookie, no KDSVCSessionId)");
        }
        LOG.info("kingdee: logged in to {} as {} ({})", config.getBaseUrl(), config.getUsername(), method.service());
        return new Session(kd, asp);
    }

    private static String cookie(ApiHttp.Reply reply, String name) {
        for (Map.Entry<String, List<String>> h : reply.headers().entrySet()) {
            if (!"set-cookie".equalsIgnoreCase(h.getKey())) {
                continue;
            }
            for (String value : h.getValue()) {
                String pair = value.split(";", 2)[0].trim();
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase(name)) {
                    return pair.substring(eq + 1).trim();
                }
            }
        }
        return null;
    }

    /** The login answer carries the session id; the API-call log keeps it masked. */
    static String maskSession(String body) {
        return body == null ? null : body.replaceAll("(\"\\w*Session[Ii]d\"\\s*:\\s*)\"[^\"]*\"", "$1\"***\"");
    }

    private URI uri(String service) {
        return URI.create(config.getBaseUrl() + service + ".common.kdsvc");
    }

    private static String shortName(String service) {
        return service.substring(service.lastIndexOf('.') + 1);
    }

    /**
     * {@code Result.ResponseStatus} of an answer; ExecuteBillQuery wraps it as {@code [[{"Result":…}]]}. Null when
     * the answer has none (a successful query, a View).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> responseStatus(Object answer) {
        Object top = answer;
        if (top instanceof List<?> rows) {
            if (rows.isEmpty() || !(rows.get(0) instanceof List<?> first) || first.isEmpty()) {
                return null;
            }
            top = first.get(0);
        }
        if (top instanceof Map<?, ?> m && m.get("Result") instanceof Map<?, ?> result
                && result.get("ResponseStatus") instanceof Map<?, ?> status) {
            return (Map<String, Object>) status;
        }
        return null;
    }

    // ---- what Kingdee's answers mean (Failure): the one table the sink, the look-ups and the simulator's docs follow

    static final String RESPONSE_ERROR = "response_error:";
    /** A database deadlock or lock timeout under the call (SQL Server's 1205 text, Oracle's ORA-00060): run it again. */
    private static final Pattern TRY_AGAIN = Pattern.compile("死锁|请重新运行该事务|(?i:deadlock|rerun the transaction)");
    /** Messages for a request that names a form, a field or an operation the account cannot use (protocols.md §1.5). */
    private static final Pattern CONFIGURATION = Pattern.compile("业务对象不存在|元数据中标识为.+的字段不存在|您没有该功能的操作权限|单据标识为空");
    /** MsgCodes that are never about a row: 2 没有权限, 5 单据标识为空, 7 许可错误. */
    private static final Set<Integer> CONFIGURATION_CODES = Set.of(2, 5, 7);

    /**
     * A whole answer as it came off the wire: status, content type, bytes. Null when it is a success; the transport
     * rules of {@link Failure#ofAnswer} first, then {@code response_error:} (transient) and the ResponseStatus.
     */
    public static Failure classify(int status, String contentType, byte[] body) {
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
        if ((status == 200 || status == 206) && text.startsWith(RESPONSE_ERROR)) {
            return Failure.TRANSIENT;
        }
        Failure transport = Failure.ofAnswer(status, contentType, body);
        if (transport != null) {
            return transport;
        }
        try {
            Map<String, Object> s = responseStatus(JSON.readValue(text, Object.class));
            return s == null || !isWholeCallFailure(s) && !hasErrors(s) ? null : classify(s);
        } catch (JsonProcessingException e) {
            return Failure.TRANSIENT;
        }
    }

    /**
     * A failed ResponseStatus: MsgCode 1 (the session: logged in again) and 14 (调用限制) and a deadlock are
     * transient; MsgCode 2, 5, 7 or only configuration messages are the setup's; anything else refuses rows.
     */
    static Failure classify(Map<String, Object> status) {
        int code = msgCode(status);
        if (code == MSG_SESSION_LOST || code == MSG_CALL_LIMIT || TRY_AGAIN.matcher(messages(status)).find()) {
            return Failure.TRANSIENT;
        }
        if (CONFIGURATION_CODES.contains(code)) {
            return Failure.CONFIGURATION;
        }
        List<String> messages = errorMessages(status);
        if (!messages.isEmpty() && messages.stream().allMatch(m -> CONFIGURATION.matcher(m).find())) {
            return Failure.CONFIGURATION;
        }
        return Failure.REJECTED_ROW;
    }

    private static final Pattern UNKNOWN_FORM = Pattern.compile("业务对象不存在");

    /** The answer says the FormId names no form (MsgCode 4, 标识为“X”的业务对象不存在，或者被删除). */
    static boolean isUnknownForm(Map<String, Object> status) {
        List<String> messages = errorMessages(status);
        return !messages.isEmpty() && messages.stream().allMatch(m -> UNKNOWN_FORM.matcher(m).find());
    }

    /** One row's error message (an Errors entry with its DIndex): a deadlock is transient, anything else the row's. */
    static Failure classifyRowError(String message) {
        return message != null && TRY_AGAIN.matcher(message).find() ? Failure.TRANSIENT : Failure.REJECTED_ROW;
    }

    /** Nothing saved and not a success: the call failed as a whole. */
    static boolean isWholeCallFailure(Map<String, Object> status) {
        if (status == null || Boolean.TRUE.equals(status.get("IsSuccess")) || "true".equals(String.valueOf(status.get("IsSuccess")))) {
            return false;
        }
        return !(status.get("SuccessEntitys") instanceof List<?> saved && !saved.isEmpty());
    }

    private static boolean hasErrors(Map<String, Object> status) {
        return !errorMessages(status).isEmpty();
    }

    static List<String> errorMessages(Map<String, Object> status) {
        List<String> out = new ArrayList<>();
        if (status != null && status.get("Errors") instanceof List<?> errors) {
            for (Object e : errors) {
                if (e instanceof Map<?, ?> m && m.get("Message") != null) {
                    out.add(String.valueOf(m.get("Message")));
                }
            }
        }
        return out;
    }

    static int msgCode(Map<String, Object> status) {
        if (status == null) {
            return -1;
        }
        Object code = status.get("MsgCode");
        if (code instanceof Number n) {
            return n.intValue();
        }
        try {
            return code == null ? -1 : Integer.parseInt(code.toString().trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The Errors' messages of a ResponseStatus, joined. */
    static String messages(Map<String, Object> status) {
        if (status == null) {
            return "(no ResponseStatus)";
        }
        List<String> out = new ArrayList<>();
        if (status.get("Errors") instanceof List<?> errors) {
            for (Object e : errors) {
                if (e instanceof Map<?, ?> m && m.get("Message") != null) {
                    out.add(String.valueOf(m.get("Message")));
                }
            }
        }
        if (out.isEmpty()) {
            out.add("MsgCode " + status.get("MsgCode") + ", ErrorCode " + status.get("ErrorCode"));
        }
        return String.join("; ", out);
    }

    /** The answer as JSON, or null when it does not parse (cut off). */
    private static Object parseJson(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String errorMessage(String envelope) {
        try {
            Object e = JSON.readValue(envelope.strip(), Object.class);
            if (e instanceof Map<?, ?> m && m.get("Message") != null) {
                return String.valueOf(m.get("Message"));
            }
        } catch (JsonProcessingException ignored) {
            // not JSON: show the text as it came
        }
        return ApiHttp.snippet(envelope);
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request as JSON: " + e.getMessage(), e);
        }
    }
}
