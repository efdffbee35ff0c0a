package io.ferry.sandbox;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A Kingdee K3Cloud WebAPI for customers ({@code BD_Customer}) and materials ({@code BD_MATERIAL}), built from
 * protocols.md §1 with no code of the product: its own LoginBySign and X-Api signature checks
 * ({@link KingdeeSignatures}), FilterString reading ({@link KingdeeFilter}); Submit and Audit by Numbers; every
 * saved row modified now in Asia/Shanghai, shown {@code yyyy-MM-ddTHH:mm:ss.SSS}.
 * <p>
 * Served under {@code /K3Cloud/}: the logins ValidateUser, LoginByAppSecret and LoginBySign (password, app
 * secret and SHA-256 signature checked), which set the {@code kdservice-sessionid} and {@code ASP.NET_SessionId}
 * cookies; sessions that expire after an idle time and then answer the real MsgCode 1 envelope; BatchSave and
 * Save with per-row validation and partial success (rows that pass are saved, the others are in {@code Errors}
 * by DIndex, MsgCode 11), updates by FCUSTID with NeedUpDateFields; ExecuteBillQuery (FilterString as text or
 * as the array form) and View. Both request encodings are accepted ({@code {"parameters":[…]}} and
 * {@code {"formid"|"formId"|"FormId": …, "data": …}}, data as an object or a JSON string); a request it cannot
 * read gets a {@code response_error:} answer. Faults as Kingdee answers them, for tests: a row refused with the
 * deadlock text (MsgCode 6) while the others are saved, an ExecuteBillQuery deadlock, a {@code response_error:}
 * answer, a save whose answer is cut in a UTF-8 character, a gateway's HTML page (status 502 or 200).
 * <p>
 * Messages quoted from real servers: the session-lost text, the duplicate-number text, {@code 字段[…]是必录字段},
 * {@code 元数据中标识为X的字段不存在}, {@code 业务对象不存在}. An unknown form is MsgCode 4 and an unknown field key
 * MsgCode 9, request-wide errors without a DIndex (protocols.md §1.5); that Save answers a Model key the form does
 * not have that way too (rather than ignoring the key) is this simulator's choice. The login failure texts, the
 * not-found texts and the MsgCode of a missing record are its own as well (no source gives them).
 */
public class KingdeeSimulator extends SimulatorServer {

    public static final String BASE_PATH = "/K3Cloud/";
    public static final String FORM = "BD_Customer";
    public static final String SESSION_LOST = "会话信息已丢失，请重新登录";
    /** SQL Server's deadlock text (error 1205) as a Chinese Kingdee server passes it on, MsgCode 6 (数据库操作失败). */
    public static final String DEADLOCK = "事务(进程 ID 64)与另一个进程被死锁在 锁 资源上，并且已被选作死锁牺牲品。请重新运行该事务。";
    /** What a gateway in front of the server answers while the server restarts. */
    public static final String NGINX_502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.20.1</center>\r\n</body>\r\n</html>\r\n";
    private static final String AUTH = "kingdee.bos.webapi.servicesstub.authservice.";
    private static final String DYNAMIC_FORM = "kingdee.bos.webapi.servicesstub.dynamicformservice.";
    private static final long FIRST_ID = 100_001;
    public static final String MATERIALS = "BD_MATERIAL";
    /** Kingdee shows times in the server's zone (China) as 2024-05-01T10:11:12.345. */
    static final java.time.ZoneId SERVER_ZONE = java.time.ZoneId.of("Asia/Shanghai");
    private static final java.time.format.DateTimeFormatter SHOWN = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    private final String acctId;
    private final String username;
    private final String password;
    private final String appId;
    private final String appSecret;

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    /** The forms it holds by FormId (matched exactly); every other FormId is answered 业务对象不存在. */
    private final Map<String, KingdeeForm> forms = Map.of(FORM, KingdeeForm.customers(), MATERIALS, KingdeeForm.materials());
    private final Map<String, Map<String, Object>> customers = forms.get(FORM).rows;
    private final AtomicLong submits = new AtomicLong();
    private final AtomicLong audits = new AtomicLong();
    private final AtomicLong signedCalls = new AtomicLong();
    private final AtomicLong refusedSignatures = new AtomicLong();
    private final Map<String, String> rejectedNumbers = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(FIRST_ID);
    private final Object saveLock = new Object();
    private volatile Duration idleTimeout = Duration.ofMinutes(20);
    private volatile long batchSaveLatencyMillis;
    private volatile boolean allOrNothing;
    private final AtomicInteger failNext = new AtomicInteger();
    private final Map<String, AtomicInteger> deadlockedNumbers = new ConcurrentHashMap<>();
    private final AtomicInteger deadlockQueries = new AtomicInteger();
    private final AtomicInteger queriesBeforeDeadlock = new AtomicInteger();
    /** Every ExecuteBillQuery's FormId, FilterString, StartRow and Limit, in the order they came. */
    private final List<List<Object>> queriesAsked = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger responseErrors = new AtomicInteger();
    private final AtomicInteger cutAnswers = new AtomicInteger();
    private final AtomicInteger gatewayPages = new AtomicInteger();
    private volatile int gatewayStatus = 502;
    private final AtomicInteger expireAfterBatchSaves = new AtomicInteger();

    private final AtomicLong logins = new AtomicLong();
    private final AtomicLong failedLogins = new AtomicLong();
    private final AtomicLong sessionLostAnswers = new AtomicLong();
    /** Set on a handler's thread while it answers a save that counts in {@link #savesInProgress}. */
    private final ThreadLocal<Boolean> saveInProgress = new ThreadLocal<>();
    private final java.util.concurrent.atomic.AtomicInteger savesInProgress = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger maxSavesInProgress = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicLong batchSaveCalls = new AtomicLong();
    private final AtomicLong customersSaved = new AtomicLong();
    private final AtomicLong customersUpdated = new AtomicLong();
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong serverErrors = new AtomicLong();

    private static final class Session {
        final String kdServiceId;
        final String aspNetId;
        volatile long lastUsedNanos = System.nanoTime();

        Session(String kdServiceId, String aspNetId) {
            this.kdServiceId = kdServiceId;
            this.aspNetId = aspNetId;
        }
    }

    /** A request the simulator cannot read: answered with {@code response_error:}. */
    private static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }

    public KingdeeSimulator(String acctId, String username, String password, String appId, String appSecret) {
        super("kingdee");
        this.acctId = acctId;
        this.username = username;
        this.password = password;
        this.appId = appId;
        this.appSecret = appSecret;
    }

    @Override
    protected void routes(HttpServer server) {
        server.createContext(BASE_PATH, handler(this::serve));
    }

    /** What {@code camel.component.kingdee.base-url} is set to, e.g. {@code http://127.0.0.1:41234/K3Cloud/}. */
    public String baseUrl() {
        return url() + BASE_PATH;
    }

    // ---- hooks for tests and the benchmark -------------------------------------------------------------------

    /** Sessions unused for longer than this are lost (default 20 min; the real length is not published). */
    public KingdeeSimulator idleTimeout(Duration idle) {
        this.idleTimeout = idle;
        return this;
    }

    /** Every open session is lost now; the next call with one gets MsgCode 1. */
    public void expireSessions() {
        sessions.clear();
    }

    /** Loses every session right after the {@code n}-th BatchSave from now has been answered. */
    public void expireSessionsAfterBatchSaves(int n) {
        expireAfterBatchSaves.set(n);
    }

    /** Each BatchSave takes this long before it answers (a real server takes a few hundred ms). */
    public KingdeeSimulator batchSaveLatency(Duration latency) {
        this.batchSaveLatencyMillis = latency.toMillis();
        return this;
    }

    /**
     * When on, a BatchSave with one failed row saves none (SuccessEntitys empty, Errors only for the failed
     * rows). Whether real servers roll back a batch is unconfirmed; the default is per-row success.
     */
    public KingdeeSimulator allOrNothing(boolean on) {
        this.allOrNothing = on;
        return this;
    }

    /** The next {@code n} calls (any service, logins included) answer HTTP 500 with an IIS error page. */
    public void failNextCalls(int n) {
        failNext.set(n);
    }

    /**
     * A row with this FNumber is refused with the deadlock text ({@link #DEADLOCK}, MsgCode 6 when no row fails
     * otherwise) the next {@code times} times it is saved; the other rows of the batch are saved.
     */
    public void deadlockNumber(String number, int times) {
        deadlockedNumbers.put(number, new AtomicInteger(times));
    }

    /** The next {@code n} ExecuteBillQuery calls answer the deadlock (MsgCode 6) in the query's 2-D shape. */
    public void deadlockNextQueries(int n) {
        deadlockQueriesFrom(1, n);
    }

    /** Counting ExecuteBillQuery calls from now, the {@code k}-th and the {@code n} - 1 after it answer the deadlock. */
    public void deadlockQueriesFrom(int k, int n) {
        queriesBeforeDeadlock.set(Math.max(0, k - 1));
        deadlockQueries.set(n);
    }

    /** The ExecuteBillQuery calls answered so far (faults aside): each its FormId, FilterString, StartRow and Limit. */
    public List<List<Object>> queriesAsked() {
        return List.copyOf(queriesAsked);
    }

    /** The next {@code n} form calls answer {@code response_error:} with a server exception, saving nothing. */
    public void responseErrorNextCalls(int n) {
        responseErrors.set(n);
    }

    /**
     * The next {@code n} BatchSave calls are carried out, and their answer is cut in the middle of its last
     * multi-byte UTF-8 character (in the middle of the body when it has none).
     */
    public void cutNextAnswers(int n) {
        cutAnswers.set(n);
    }

    /** The next {@code n} calls are answered by the gateway's HTML page, with this status (502, or 200). */
    public void gatewayPageNextCalls(int n, int status) {
        gatewayStatus = status;
        gatewayPages.set(n);
    }

    /** A row with this FNumber is refused with a business error (MsgCode 11). */
    public void rejectNumber(String number, String message) {
        rejectedNumbers.put(number, message);
    }

    public void rejectNumber(String number) {
        rejectNumber(number, "客户[" + number + "]未通过信用检查，不允许保存。");
    }

    public void clearRejectedNumbers() {
        rejectedNumbers.clear();
    }

    /** Ends every fault set with the hooks above (rejected numbers aside). */
    public void clearFaults() {
        failNext.set(0);
        deadlockedNumbers.clear();
        deadlockQueries.set(0);
        queriesBeforeDeadlock.set(0);
        responseErrors.set(0);
        cutAnswers.set(0);
        gatewayPages.set(0);
    }

    /** Stores a customer as an earlier save would have; returns its Id. */
    public long preSave(String number, String name) {
        return preSave(FORM, number, name);
    }

    /** Stores a row of a form as an earlier save would have (audited, modified now); returns its Id. */
    public long preSave(String formId, String number, String name) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("FNumber", number);
        row.put("FName", name);
        return preSave(formId, row);
    }

    /**
     * Stores a row with these fields (FNumber among them; a reference such as FCreateOrgId as {@code {"FNumber": …}})
     * as an earlier save would have: audited, created and modified now, or at the FCreateDate and FModifyDate given
     * as {@link java.time.LocalDateTime}s in the server's zone; returns its Id.
     */
    public long preSave(String formId, Map<String, Object> fields) {
        KingdeeForm form = heldForm(formId);
        String number = String.valueOf(fields.get("FNumber"));
        for (String key : fields.keySet()) {
            if (!form.knows(key)) {
                throw new IllegalArgumentException(formId + " has no field " + key);
            }
        }
        synchronized (saveLock) {
            if (form.rows.containsKey(number)) {
                throw new IllegalArgumentException(formId + " " + number + " exists already");
            }
            long id = insert(form, fields, true);
            Map<String, Object> row = form.rows.get(number);
            for (String time : List.of("FCreateDate", "FModifyDate")) {
                if (fields.get(time) instanceof java.time.LocalDateTime t) {
                    row.put(time, t.format(SHOWN));
                }
            }
            return id;
        }
    }

    /**
     * A stored row changed and saved again, as a user does in the client: the fields are put over its own and its
     * FModifyDate becomes now, the server's time.
     */
    public void saveAgain(String formId, String number, Map<String, Object> changed) {
        KingdeeForm form = heldForm(formId);
        synchronized (saveLock) {
            Map<String, Object> row = form.rows.get(number);
            if (row == null) {
                throw new IllegalArgumentException(formId + " " + number + " is not stored");
            }
            Map<String, Object> next = new LinkedHashMap<>(row);
            next.putAll(changed);
            next.put("FNumber", number);
            next.put("FModifyDate", now());
            form.rows.put(number, next);
        }
    }

    /** Sets a stored row's FModifyDate, as if it had been changed then (a time in the server's zone). */
    public void modifiedAt(String formId, String number, java.time.LocalDateTime when) {
        Map<String, Object> row = heldForm(formId).rows.get(number);
        if (row == null) {
            throw new IllegalArgumentException(formId + " " + number + " is not stored");
        }
        row.put("FModifyDate", when.format(SHOWN));
    }

    /** A stored row deleted, as a user does in the client: its number and its Id are no longer known. */
    public void delete(String formId, String number) {
        KingdeeForm form = heldForm(formId);
        synchronized (saveLock) {
            if (form.rows.remove(number) == null) {
                throw new IllegalArgumentException(formId + " " + number + " is not stored");
            }
            form.numbersById.values().removeIf(number::equals);
        }
    }

    /** The rows of a form by number (a live, read-only view). */
    public Map<String, Map<String, Object>> records(String formId) {
        return Collections.unmodifiableMap(heldForm(formId).rows);
    }

    private KingdeeForm heldForm(String formId) {
        KingdeeForm form = forms.get(formId);
        if (form == null) {
            throw new IllegalArgumentException("the simulator holds no form " + formId + " (it holds " + forms.keySet() + ")");
        }
        return form;
    }

    /** Submit and Audit calls' rows moved on (A → B, B → C). */
    public long submitted() {
        return submits.get();
    }

    public long audited() {
        return audits.get();
    }

    /** Form calls that carried the X-Api signature headers, and those refused for them. */
    public long signedCalls() {
        return signedCalls.get();
    }

    public long refusedSignatures() {
        return refusedSignatures.get();
    }

    /** The saved customers by number (a live, read-only view). */
    public Map<String, Map<String, Object>> customers() {
        return Collections.unmodifiableMap(customers);
    }

    public Map<String, Object> customer(String number) {
        return customers.get(number);
    }

    public long logins() {
        return logins.get();
    }

    public long failedLogins() {
        return failedLogins.get();
    }

    public long sessionLostAnswers() {
        return sessionLostAnswers.get();
    }

    /** BatchSave requests received, those refused for a lost session included. */
    public long batchSaveCalls() {
        return batchSaveCalls.get();
    }

    /**
     * A save stops counting as in progress when its answer is about to be written: a client that has read the
     * answer may send its next save before the handler's thread has returned, and that is not two at once.
     */
    private void saveAnswered() {
        if (saveInProgress.get() != null) {
            saveInProgress.remove();
            savesInProgress.decrementAndGet();
        }
    }

    private void answerSave(HttpExchange ex, Object reply) throws IOException {
        saveAnswered();
        if (cutAnswers.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            send(ex, 200, "application/json; charset=utf-8", cutInACharacter(JSON.writeValueAsBytes(reply)));
            return;
        }
        json(ex, 200, reply);
    }

    /** The answer up to the middle of its last multi-byte character (or to its middle), as a broken proxy passes it. */
    private static byte[] cutInACharacter(byte[] answer) {
        for (int i = answer.length - 1; i > 0; i--) {
            if ((answer[i] & 0xE0) == 0xE0 || (answer[i] & 0xE0) == 0xC0) {
                // the lead byte of a multi-byte character: keep it and nothing after it
                return java.util.Arrays.copyOf(answer, i + 1);
            }
        }
        return java.util.Arrays.copyOf(answer, answer.length / 2);
    }

    /** The most Save/BatchSave calls the simulator was answering at the same time. */
    public int maxConcurrentSaves() {
        return maxSavesInProgress.get();
    }

    /** Customers created by Save/BatchSave (not counting {@link #preSave}). */
    public long customersSaved() {
        return customersSaved.get();
    }

    public long customersUpdated() {
        return customersUpdated.get();
    }

    public long queries() {
        return queries.get();
    }

    public long serverErrors() {
        return serverErrors.get();
    }

    // ---- dispatch --------------------------------------------------------------------------------------------

    private void serve(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath().substring(BASE_PATH.length());
        if (!path.endsWith(".common.kdsvc")) {
            send(ex, 404, "text/html; charset=utf-8", "<html><body><h2>404 - File or directory not found.</h2></body></html>");
            return;
        }
        if (!"POST".equals(ex.getRequestMethod())) {
            send(ex, 405, "text/plain", "only POST");
            return;
        }
        if (failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            serverErrors.incrementAndGet();
            send(ex, 500, "text/html; charset=utf-8",
                    "<html><head><title>500 - Internal server error.</title></head><body><h2>500 - Internal server error.</h2></body></html>");
            return;
        }
        if (gatewayPages.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            serverErrors.incrementAndGet();
            send(ex, gatewayStatus, "text/html", NGINX_502);
            return;
        }
        // one client writes DynamicFormservice (lower-case s): service names are matched without case
        String service = path.substring(0, path.length() - ".common.kdsvc".length()).toLowerCase(Locale.ROOT);
        try {
            Object request = parse(body(ex));
            if (service.startsWith(AUTH)) {
                login(ex, service.substring(AUTH.length()), request);
                return;
            }
            if (!service.startsWith(DYNAMIC_FORM)) {
                send(ex, 404, "text/html; charset=utf-8", "<html><body><h2>404 - File or directory not found.</h2></body></html>");
                return;
            }
            String op = service.substring(DYNAMIC_FORM.length());
            boolean query = op.equals("executebillquery") || op.equals("billquery");
            if (op.equals("batchsave")) {
                batchSaveCalls.incrementAndGet();
            }
            Faults.Fault fault = envelopeFault(ex);
            if (fault == Faults.Fault.VENDOR_ERROR) {
                expireSessions(); // injected: the server forgot the session, the client must log in again
            }
            if (fault == Faults.Fault.RATE_LIMIT) {
                Map<String, Object> limited = status(false, 14, List.of(error(null, "调用限制：接口调用过于频繁，请稍后再试", 0)), List.of());
                json(ex, 200, query ? wrap(limited) : limited);
                return;
            }
            String signature = signatureProblem(ex);
            if (signature != null && signature.equals(WRONG_DATA_CENTRE)) {
                send(ex, 500, "text/plain; charset=utf-8", WRONG_DATA_CENTRE);
                return;
            }
            if (signature != null || !signed(ex) && !validSession(ex)) {
                sessionLostAnswers.incrementAndGet();
                Map<String, Object> lost = status(false, 1, List.of(error(null, SESSION_LOST, 0)), List.of());
                json(ex, 200, query ? wrap(lost) : lost);
                return;
            }
            if (responseErrors.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                serverErrors.incrementAndGet();
                Map<String, Object> err = new LinkedHashMap<>();
                err.put("Message", "执行超时已过期。完成操作之前已超时或服务器未响应。");
                err.put("InnerException", null);
                err.put("Data", Map.of());
                send(ex, 200, "text/plain; charset=utf-8", "response_error:" + JSON.writeValueAsString(err));
                return;
            }
            if (query && deadlockQueries.get() > 0 && queriesBeforeDeadlock.getAndUpdate(n -> n > 0 ? n - 1 : 0) == 0
                    && deadlockQueries.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                json(ex, 200, wrap(status(false, 6, List.of(error(null, DEADLOCK, null)), List.of())));
                return;
            }
            switch (op) {
            case "batchsave", "save" -> {
                int now = savesInProgress.incrementAndGet();
                maxSavesInProgress.accumulateAndGet(now, Math::max);
                saveInProgress.set(Boolean.TRUE);
                try {
                    save(ex, request, op.equals("batchsave"));
                } finally {
                    saveAnswered();
                }
            }
            case "executebillquery", "billquery" -> query(ex, request);
            case "submit" -> changeStatus(ex, request, true);
            case "audit" -> changeStatus(ex, request, false);
            case "view" -> view(ex, request);
            default -> send(ex, 404, "text/html; charset=utf-8", "<html><body><h2>404 - File or directory not found.</h2></body></html>");
            }
        } catch (BadRequest e) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("Message", e.getMessage());
            err.put("InnerException", null);
            err.put("Data", Map.of());
            send(ex, 200, "text/plain; charset=utf-8", "response_error:" + JSON.writeValueAsString(err));
        }
    }

    private static Object parse(String text) throws BadRequest {
        try {
            Object o = JSON.readValue(text, Object.class);
            if (o instanceof Map) {
                return o;
            }
        } catch (IOException e) {
            // answered below
        }
        throw new BadRequest("请求数据格式不正确：应为JSON对象 {\"parameters\":[...]} 或 {\"formid\":...,\"data\":...}");
    }

    /** The positional parameters, or null for a named request. */
    private static List<?> positional(Object request) {
        return request instanceof Map<?, ?> m && m.get("parameters") instanceof List<?> p ? p : null;
    }

    /** A key of a named request, matched without case (clients send formid, formId and FormId). */
    private static Object named(Object map, String key) {
        if (map instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (String.valueOf(e.getKey()).equalsIgnoreCase(key)) {
                    return e.getValue();
                }
            }
        }
        return null;
    }

    /** {@code data} as an object, whether it came as one or as a JSON string. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> dataObject(Object data) throws BadRequest {
        if (data instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        if (data instanceof String s && !s.isBlank()) {
            try {
                Object o = JSON.readValue(s, Object.class);
                if (o instanceof Map<?, ?> m) {
                    return (Map<String, Object>) m;
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new BadRequest("data不是合法的JSON：" + e.getOriginalMessage());
            }
        }
        throw new BadRequest("缺少参数data");
    }

    // ---- sessions --------------------------------------------------------------------------------------------

    private void login(HttpExchange ex, String op, Object request) throws IOException, BadRequest {
        List<?> p = positional(request);
        String acct = p != null ? str(p, 0) : str(named(request, "acctID"));
        String user = p != null ? str(p, 1) : str(named(request, "username"));
        String failure;
        switch (op) {
        case "validateuser" -> {
            String pwd = p != null ? str(p, 2) : str(named(request, "password"));
            failure = acctId.equals(acct) && username.equals(user) && password.equals(pwd) ? null : "用户名或密码错误！";
        }
        case "loginbyappsecret", "loginbyappsecret2" -> {
            String app = p != null ? str(p, 2) : str(named(request, "appId"));
            String secret = p != null ? str(p, 3) : str(named(request, "appSecret"));
            failure = !appId.equals(app) ? "应用ID不存在或未授权" : !appSecret.equals(secret) ? "应用密钥错误" : !username.equals(user) ? "用户名不存在" : null;
        }
        case "loginbysign", "loginbysign2" -> {
            String app = p != null ? str(p, 2) : str(named(request, "appId"));
            String ts = p != null ? str(p, 3) : str(named(request, "timestamp"));
            String sign = p != null ? str(p, 4) : str(named(request, "sign"));
            if (!appId.equals(app)) {
                failure = "应用ID不存在或未授权";
            } else if (ts == null || !ts.matches("\\d{10}")) {
                failure = "时间戳格式错误";
            } else {
                String expected = KingdeeSignatures.loginSign(acct == null ? "" : acct, user == null ? "" : user, appId, appSecret, ts);
                failure = expected.equals(sign) ? null : "签名验证失败";
            }
        }
        default -> {
            send(ex, 404, "text/html; charset=utf-8", "<html><body><h2>404 - File or directory not found.</h2></body></html>");
            return;
        }
        }
        if (failure == null && !acctId.equals(acct)) {
            failure = "数据中心不存在";
        }
        if (failure == null && !username.equals(user)) {
            failure = "用户名或密码错误！";
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("Message", failure);
        reply.put("MessageCode", failure == null ? "CheckPasswordPolicy" : null);
        reply.put("LoginResultType", failure == null ? 1 : op.equals("validateuser") ? 0 : -1);
        if (failure != null) {
            failedLogins.incrementAndGet();
            reply.put("Context", null);
            reply.put("KDSVCSessionId", null);
            reply.put("IsSuccessByAPI", false);
            json(ex, 200, reply);
            return;
        }
        Session s = new Session(UUID.randomUUID().toString().replace("-", ""), Sandbox.randomSecret().substring(0, 24));
        sessions.put(s.kdServiceId, s);
        sessions.put(s.aspNetId, s);
        logins.incrementAndGet();
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("UserLocale", "zh-CN");
        context.put("DBid", acctId);
        context.put("SessionId", s.kdServiceId);
        context.put("UserId", 100_008);
        context.put("UserName", username);
        context.put("DataCenterName", "Ferry sandbox");
        context.put("CurrentOrganizationInfo", Map.of("ID", 1, "Name", "100"));
        reply.put("Context", context);
        reply.put("KDSVCSessionId", s.kdServiceId);
        reply.put("FormId", null);
        reply.put("RedirectFormParam", null);
        reply.put("FormInputObject", null);
        reply.put("ErrorStackTrace", null);
        reply.put("Lcid", 2052);
        reply.put("AccessToken", null);
        reply.put("CustomParam", Map.of());
        reply.put("KdAccessResult", null);
        reply.put("IsSuccessByAPI", true);
        ex.getResponseHeaders().add("Set-Cookie", "kdservice-sessionid=" + s.kdServiceId + "; path=/");
        ex.getResponseHeaders().add("Set-Cookie", "ASP.NET_SessionId=" + s.aspNetId + "; path=/; HttpOnly");
        json(ex, 200, reply);
    }

    /** What a real server answered (HTTP, not 200) when the signed data centre id was wrong (protocols.md §1.3). */
    static final String WRONG_DATA_CENTRE = "Fail to verify thirty passport";

    private static boolean signed(HttpExchange ex) {
        return ex.getRequestHeaders().getFirst("X-Api-Signature") != null;
    }

    /**
     * For a request signed the newer SDKs' way (protocols.md §1.2 (d)): null when the X-Api-* and X-Kd-* headers
     * check out, else why not. Such a request needs no session; a wrong signature is answered as real servers do,
     * with the session-lost envelope (MsgCode 1), a wrong data centre with an HTTP error.
     */
    private String signatureProblem(HttpExchange ex) {
        if (!signed(ex)) {
            return null;
        }
        signedCalls.incrementAndGet();
        com.sun.net.httpserver.Headers h = ex.getRequestHeaders();
        String ts = h.getFirst("X-Api-TimeStamp");
        String nonce = h.getFirst("X-Api-Nonce");
        String appData = h.getFirst("X-Kd-Appdata");
        String problem = null;
        String plain = null;
        try {
            plain = appData == null ? null : new String(java.util.Base64.getDecoder().decode(appData), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            problem = "X-Kd-Appdata is not base64";
        }
        String[] parts = plain == null ? new String[0] : plain.split(",", -1);
        int cut = appId.indexOf('_');
        if (problem != null) {
            // said above
        } else if (ts == null || nonce == null || parts.length != 4) {
            problem = "missing X-Api-TimeStamp, X-Api-Nonce or X-Kd-Appdata";
        } else if (!appId.equals(h.getFirst("X-Kd-Appkey")) || !(cut < 0 ? appId : appId.substring(0, cut)).equals(h.getFirst("X-Api-ClientID"))) {
            problem = "unknown app";
        } else if (!KingdeeSignatures.apiSignature(appId, ex.getRequestURI().getRawPath(), ts, nonce).equals(h.getFirst("X-Api-Signature"))) {
            problem = "X-Api-Signature does not match";
        } else if (!KingdeeSignatures.kdSignature(appId, appSecret, plain).equals(h.getFirst("X-Kd-Signature"))) {
            problem = "X-Kd-Signature does not match";
        } else if (!acctId.equals(parts[0])) {
            problem = WRONG_DATA_CENTRE;
        } else if (!username.equals(parts[1])) {
            problem = "unknown user";
        }
        if (problem != null) {
            refusedSignatures.incrementAndGet();
        }
        return problem;
    }

    /** The session named by the Cookie header or the kdservice-sessionid / ASP.NET_SessionId / SID headers. */
    private boolean validSession(HttpExchange ex) {
        List<String> ids = new ArrayList<>();
        for (String cookie : ex.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String pair : cookie.split(";")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? "" : pair.substring(0, eq).trim();
                if (name.equalsIgnoreCase("kdservice-sessionid") || name.equalsIgnoreCase("ASP.NET_SessionId")) {
                    ids.add(pair.substring(eq + 1).trim());
                }
            }
        }
        for (String header : new String[] { "kdservice-sessionid", "ASP.NET_SessionId", "SID" }) {
            String v = ex.getRequestHeaders().getFirst(header);
            if (v != null) {
                ids.add(v.trim());
            }
        }
        long now = System.nanoTime();
        for (String id : ids) {
            Session s = sessions.get(id);
            if (s == null) {
                continue;
            }
            if (now - s.lastUsedNanos > idleTimeout.toNanos()) {
                sessions.remove(s.kdServiceId);
                sessions.remove(s.aspNetId);
                continue;
            }
            s.lastUsedNanos = now;
            return true;
        }
        return false;
    }

    // ---- Save / BatchSave ------------------------------------------------------------------------------------

    /**
     * An unknown FormId as a real server answers it (protocols.md §1.5, the text seen on a real server): MsgCode 4,
     * nothing saved, the one error at DIndex 0 as the form template writes request-wide errors.
     */
    static Map<String, Object> unknownForm(String formId) {
        return status(false, 4, List.of(error(null, "标识为“" + formId + "”的业务对象不存在，或者被删除", 0)), List.of());
    }

    private void save(HttpExchange ex, Object request, boolean batch) throws IOException, BadRequest {
        List<?> p = positional(request);
        String formId = p != null ? str(p, 0) : str(named(request, "formid"));
        Map<String, Object> data = dataObject(p != null ? (p.size() > 1 ? p.get(1) : null) : named(request, "data"));
        if (batch) {
            sleep(batchSaveLatencyMillis);
        }
        if (formId == null || formId.isBlank()) {
            answerSave(ex, status(false, 5, List.of(error(null, "单据标识为空", null)), List.of()));
            return;
        }
        KingdeeForm form = forms.get(formId);
        if (form == null) {
            answerSave(ex, unknownForm(formId));
            return;
        }
        Object model = data.get("Model");
        List<?> rows = model instanceof List<?> l ? l : model instanceof Map ? List.of(model) : null;
        if (rows == null || rows.isEmpty()) {
            throw new BadRequest("缺少参数Model");
        }
        if (!batch && rows.size() > 1) {
            throw new BadRequest("Save的Model应为对象，批量保存请使用BatchSave");
        }
        List<String> needUpdate = data.get("NeedUpDateFields") instanceof List<?> f ? f.stream().map(String::valueOf).toList() : null;
        String unknown = unknownField(form, rows, needUpdate);
        if (unknown != null) {
            // the form's metadata is checked before any row: the whole request is refused, nothing is saved
            answerSave(ex, status(false, 9, List.of(error(unknown, "元数据中标识为" + unknown + "的字段不存在", null)), List.of()));
            return;
        }
        boolean audit = truthy(data.get("IsAutoSubmitAndAudit"));
        List<Map<String, Object>> errors = new ArrayList<>();
        List<Map<String, Object>> saved = new ArrayList<>();
        synchronized (saveLock) {
            Map<String, Map<String, Object>> before = allOrNothing ? new LinkedHashMap<>(form.rows) : null;
            Map<Long, String> idsBefore = allOrNothing ? new LinkedHashMap<>(form.numbersById) : null;
            long savedBefore = customersSaved.get();
            long updatedBefore = customersUpdated.get();
            for (int i = 0; i < rows.size(); i++) {
                saveRow(form, rows.get(i), i, needUpdate, audit, errors, saved);
            }
            if (allOrNothing && !errors.isEmpty()) {
                form.rows.clear();
                form.rows.putAll(before);
                form.numbersById.clear();
                form.numbersById.putAll(idsBefore);
                customersSaved.set(savedBefore);
                customersUpdated.set(updatedBefore);
                saved.clear();
            }
        }
        boolean deadlocksOnly = !errors.isEmpty() && errors.stream().allMatch(e -> DEADLOCK.equals(e.get("Message")));
        Map<String, Object> reply = status(errors.isEmpty(), errors.isEmpty() ? 0 : deadlocksOnly ? 6 : 11, errors, saved);
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) reply.get("Result");
        if (!batch && saved.size() == 1) {
            result.put("Id", saved.get(0).get("Id"));
            result.put("Number", saved.get(0).get("Number"));
        }
        List<Map<String, Object>> needReturn = new ArrayList<>();
        saved.forEach(s -> needReturn.add(Map.of()));
        result.put("NeedReturnData", needReturn);
        answerSave(ex, reply);
        if (batch && expireAfterBatchSaves.get() > 0 && expireAfterBatchSaves.decrementAndGet() == 0) {
            expireSessions();
        }
    }

    /** The first key of the Model rows or of NeedUpDateFields that the form does not have, or null. */
    private static String unknownField(KingdeeForm form, List<?> rows, List<String> needUpdate) {
        for (Object row : rows) {
            if (row instanceof Map<?, ?> m) {
                for (Object key : m.keySet()) {
                    if (!form.knows(String.valueOf(key))) {
                        return String.valueOf(key);
                    }
                }
            }
        }
        if (needUpdate != null) {
            for (String key : needUpdate) {
                if (!form.knows(key)) {
                    return key;
                }
            }
        }
        return null;
    }

    /** Validates and stores one Model row; a row's failure leaves the others alone. */
    @SuppressWarnings("unchecked")
    private void saveRow(KingdeeForm form, Object item, int index, List<String> needUpdate, boolean audit,
            List<Map<String, Object>> errors, List<Map<String, Object>> saved) {
        if (!(item instanceof Map<?, ?> m)) {
            errors.add(error(null, "Model[" + index + "]不是有效的对象", index));
            return;
        }
        Map<String, Object> row = (Map<String, Object>) m;
        long id = longValue(row.get(form.idField));
        if (id != 0) {
            update(form, id, row, index, needUpdate, errors, saved);
            return;
        }
        List<Map<String, Object>> rowErrors = new ArrayList<>();
        if (blank(row.get("FName"))) {
            rowErrors.add(error("FName", "字段[名称]是必录字段", index));
        }
        if (blank(row.get("FNumber"))) {
            rowErrors.add(error("FNumber", "字段[编码]是必录字段", index));
        }
        String number = blank(row.get("FNumber")) ? null : String.valueOf(row.get("FNumber"));
        if (number != null && rejectedNumbers.containsKey(number)) {
            rowErrors.add(error("FNumber", rejectedNumbers.get(number), index));
        }
        AtomicInteger deadlock = number == null ? null : deadlockedNumbers.get(number);
        if (rowErrors.isEmpty() && deadlock != null && deadlock.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            // chosen as the deadlock victim: this row's transaction was rolled back, the others stand
            errors.add(error(null, DEADLOCK, index));
            return;
        }
        if (number != null && form.rows.containsKey(number)) {
            rowErrors.add(error("FNumber", duplicate(number), index));
        }
        if (!rowErrors.isEmpty()) {
            errors.addAll(rowErrors);
            return;
        }
        long newId = insert(form, row, audit);
        customersSaved.incrementAndGet();
        saved.add(success(newId, number, index));
    }

    private void update(KingdeeForm form, long id, Map<String, Object> row, int index, List<String> needUpdate,
            List<Map<String, Object>> errors, List<Map<String, Object>> saved) {
        String number = form.numbersById.get(id);
        if (number == null) {
            errors.add(error(form.idField, "内码为" + id + "的" + form.noun + "不存在或已被删除", index));
            return;
        }
        Map<String, Object> current = form.rows.get(number);
        Map<String, Object> changed = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (!e.getKey().equals(form.idField) && (needUpdate == null || needUpdate.contains(e.getKey()))) {
                changed.put(e.getKey(), e.getValue());
            }
        }
        if (changed.containsKey("FName") && blank(changed.get("FName"))) {
            errors.add(error("FName", "字段[名称]是必录字段", index));
            return;
        }
        String newNumber = changed.containsKey("FNumber") && !blank(changed.get("FNumber")) ? String.valueOf(changed.get("FNumber")) : number;
        if (!newNumber.equals(number) && form.rows.containsKey(newNumber)) {
            errors.add(error("FNumber", duplicate(newNumber), index));
            return;
        }
        if (rejectedNumbers.containsKey(newNumber)) {
            errors.add(error("FNumber", rejectedNumbers.get(newNumber), index));
            return;
        }
        Map<String, Object> next = new LinkedHashMap<>(current);
        next.putAll(changed);
        next.put("FNumber", newNumber);
        next.put("FModifyDate", now());
        if (!newNumber.equals(number)) {
            form.rows.remove(number);
        }
        form.rows.put(newNumber, next);
        form.numbersById.put(id, newNumber);
        customersUpdated.incrementAndGet();
        saved.add(success(id, newNumber, index));
    }

    private long insert(KingdeeForm form, Map<String, Object> row, boolean audit) {
        long id = nextId.getAndIncrement();
        Map<String, Object> c = new LinkedHashMap<>(row);
        String number = String.valueOf(row.get("FNumber"));
        String now = now();
        c.put(form.idField, id);
        c.put("FNumber", number);
        c.put("FDocumentStatus", audit ? "C" : "A");
        c.put("FForbidStatus", "A");
        c.put("FCreateDate", now);
        c.put("FModifyDate", now);
        form.rows.put(number, c);
        form.numbersById.put(id, number);
        return id;
    }

    /** Now as Kingdee shows a time: the server's zone, {@code yyyy-MM-ddTHH:mm:ss.SSS}. */
    private static String now() {
        return java.time.LocalDateTime.now(SERVER_ZONE).format(SHOWN);
    }

    private static String duplicate(String number) {
        return "违反字段唯一性要求：编码唯一。[" + number + "]在当前系统中已经被使用。";
    }

    // ---- Submit / Audit --------------------------------------------------------------------------------------

    /**
     * Submit (A 创建 → B 审核中) and Audit (B → C 已审核) of the rows named by {@code Numbers} or {@code Ids}
     * (protocols.md §1.8); a row not found or in the wrong state is an error at its DIndex, the others pass.
     */
    private void changeStatus(HttpExchange ex, Object request, boolean submit) throws IOException, BadRequest {
        List<?> p = positional(request);
        String formId = p != null ? str(p, 0) : str(named(request, "formid"));
        Map<String, Object> data = dataObject(p != null ? (p.size() > 1 ? p.get(1) : null) : named(request, "data"));
        KingdeeForm form = formId == null ? null : forms.get(formId);
        if (form == null) {
            json(ex, 200, formId == null || formId.isBlank() ? status(false, 5, List.of(error(null, "单据标识为空", null)), List.of())
                    : unknownForm(formId));
            return;
        }
        List<String> numbers = new ArrayList<>();
        if (named(data, "Numbers") instanceof List<?> l) {
            l.forEach(n -> numbers.add(String.valueOf(n)));
        } else if (named(data, "Ids") != null) {
            for (String id : String.valueOf(named(data, "Ids")).split(",")) {
                String n = id.isBlank() ? null : form.numbersById.get(longValue(id.trim()));
                numbers.add(n == null ? "#" + id.trim() : n);
            }
        }
        if (numbers.isEmpty()) {
            json(ex, 200, status(false, 8, List.of(error(null, "Numbers和Ids不能同时为空", null)), List.of()));
            return;
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        List<Map<String, Object>> done = new ArrayList<>();
        synchronized (saveLock) {
            for (int i = 0; i < numbers.size(); i++) {
                Map<String, Object> row = form.rows.get(numbers.get(i));
                String from = submit ? "A" : "B";
                if (row == null) {
                    errors.add(error(null, "单据编码为" + numbers.get(i) + "的" + form.noun + "不存在", i));
                } else if (!from.equals(row.get("FDocumentStatus"))) {
                    errors.add(error(null, submit ? "数据状态不是创建或重新审核状态，不能提交。" : "数据状态不是审核中状态，不能审核。", i));
                } else {
                    row.put("FDocumentStatus", submit ? "B" : "C");
                    row.put("FModifyDate", now());
                    (submit ? submits : audits).incrementAndGet();
                    done.add(success(longValue(row.get(form.idField)), numbers.get(i), i));
                }
            }
        }
        json(ex, 200, status(errors.isEmpty(), errors.isEmpty() ? 0 : 11, errors, done));
    }

    // ---- ExecuteBillQuery / View -----------------------------------------------------------------------------

    private void query(HttpExchange ex, Object request) throws IOException, BadRequest {
        queries.incrementAndGet();
        List<?> p = positional(request);
        Map<String, Object> data = dataObject(p != null ? (p.isEmpty() ? null : p.get(0)) : named(request, "data"));
        String formId = str(named(data, "FormId"));
        if (formId == null || formId.isBlank()) {
            json(ex, 200, wrap(status(false, 5, List.of(error(null, "单据标识为空", null)), List.of())));
            return;
        }
        KingdeeForm form = forms.get(formId);
        if (form == null) {
            json(ex, 200, wrap(unknownForm(formId)));
            return;
        }
        String keys = str(named(data, "FieldKeys"));
        if (keys == null || keys.isBlank()) {
            json(ex, 200, wrap(status(false, 8, List.of(error(null, "data 数据包中的参数 FieldKeys 的值不能为空", null)), List.of())));
            return;
        }
        List<String> fields = new ArrayList<>();
        for (String k : keys.split(",")) {
            String key = k.trim();
            if (!form.knows(key)) {
                json(ex, 200, wrap(status(false, 9, List.of(error(key, "元数据中标识为" + key + "的字段不存在", null)), List.of())));
                return;
            }
            fields.add(key);
        }
        Predicate<Map<String, Object>> filter;
        Comparator<Map<String, Object>> order;
        try {
            filter = KingdeeFilter.parse(named(data, "FilterString"), form::knows);
            order = KingdeeFilter.order(str(named(data, "OrderString")), form::knows, form.idField);
        } catch (IllegalArgumentException e) {
            json(ex, 200, wrap(status(false, e.getMessage().startsWith("元数据") ? 9 : 4, List.of(error(null, e.getMessage(), null)), List.of())));
            return;
        }
        int start = (int) longValue(named(data, "StartRow"));
        int limit = (int) longValue(named(data, "Limit"));
        queriesAsked.add(java.util.Arrays.asList(formId, named(data, "FilterString"), start, limit));
        int top = (int) longValue(named(data, "TopRowCount"));
        if (limit > 10_000) {
            json(ex, 200, wrap(status(false, 8, List.of(error(null, "Limit不能大于10000", null)), List.of())));
            return;
        }
        List<Map<String, Object>> matching = form.rows.values().stream().filter(filter).sorted(order).toList();
        if (top > 0 && matching.size() > top) {
            matching = matching.subList(0, top);
        }
        int from = Math.min(Math.max(start, 0), matching.size());
        int to = limit > 0 ? Math.min(matching.size(), from + limit) : matching.size();
        List<List<Object>> rows = new ArrayList<>();
        for (Map<String, Object> c : matching.subList(from, to)) {
            List<Object> values = new ArrayList<>(fields.size());
            for (String f : fields) {
                values.add(KingdeeFilter.value(c, f));
            }
            rows.add(values);
        }
        json(ex, 200, rows);
    }

    private void view(HttpExchange ex, Object request) throws IOException, BadRequest {
        List<?> p = positional(request);
        String formId = p != null ? str(p, 0) : str(named(request, "formid"));
        Map<String, Object> data = dataObject(p != null ? (p.size() > 1 ? p.get(1) : null) : named(request, "data"));
        KingdeeForm form = formId == null ? null : forms.get(formId);
        if (form == null) {
            json(ex, 200, unknownForm(formId));
            return;
        }
        String number = str(named(data, "Number"));
        long id = longValue(named(data, "Id"));
        Map<String, Object> c = number != null && !number.isBlank() ? form.rows.get(number)
                : id != 0 && form.numbersById.get(id) != null ? form.rows.get(form.numbersById.get(id)) : null;
        if (c == null) {
            json(ex, 200, status(false, 10, List.of(error(null, "单据不存在或已被删除", null)), List.of()));
            return;
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("Id", c.get(form.idField));
        doc.put("Number", c.get("FNumber"));
        doc.put("Name", List.of(Map.of("Key", 2052, "Value", String.valueOf(c.get("FName")))));
        doc.put("Description", List.of(Map.of("Key", 2052, "Value", c.get("FDescription") == null ? "" : String.valueOf(c.get("FDescription")))));
        doc.put("DocumentStatus", c.get("FDocumentStatus"));
        doc.put("ForbidStatus", c.get("FForbidStatus"));
        doc.put("CreateOrgId", org(c.get("FCreateOrgId")));
        doc.put("UseOrgId", org(c.get("FUseOrgId")));
        doc.put("ModifyDate", c.get("FModifyDate"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ResponseStatus", null);
        result.put("Result", doc);
        json(ex, 200, Map.of("Result", result));
    }

    private static Object org(Object ref) {
        Object number = named(ref, "FNumber");
        return number == null ? null : Map.of("Id", 1, "Number", String.valueOf(number), "Name", List.of(Map.of("Key", 2052, "Value", "组织" + number)));
    }

    // ---- envelopes -------------------------------------------------------------------------------------------

    /** {@code {"Result":{"ResponseStatus":{…}}}} as real servers write it (numbers, not the doc's strings). */
    private static Map<String, Object> status(boolean success, int msgCode, List<Map<String, Object>> errors,
            List<Map<String, Object>> saved) {
        Map<String, Object> status = new LinkedHashMap<>();
        if (!success) {
            status.put("ErrorCode", 500);
        }
        status.put("IsSuccess", success);
        status.put("Errors", errors);
        status.put("SuccessEntitys", saved);
        status.put("SuccessMessages", List.of());
        status.put("MsgCode", msgCode);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ResponseStatus", status);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("Result", result);
        return reply;
    }

    /** ExecuteBillQuery wraps its errors in the 2-D shape of its rows. */
    private static List<List<Object>> wrap(Map<String, Object> reply) {
        return List.of(List.of(reply));
    }

    private static Map<String, Object> error(String field, String message, Integer dIndex) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("FieldName", field);
        e.put("Message", message);
        e.put("DIndex", dIndex == null ? 0 : dIndex);
        if (dIndex == null) {
            // a request-wide error names no row
            e.remove("DIndex");
        }
        return e;
    }

    private static Map<String, Object> success(long id, String number, int index) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("Id", id);
        s.put("Number", number);
        s.put("DIndex", index);
        return s;
    }

    // ---- small helpers ---------------------------------------------------------------------------------------

    private static String str(List<?> p, int i) {
        return i < p.size() ? str(p.get(i)) : null;
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    private static boolean blank(Object o) {
        if (o instanceof List<?> l) {
            // multilingual text: [{"Key":2052,"Value":"…"}]
            return l.stream().allMatch(x -> blank(named(x, "Value")));
        }
        return o == null || String.valueOf(o).isBlank();
    }

    private static boolean truthy(Object o) {
        return o instanceof Boolean b ? b : o != null && "true".equalsIgnoreCase(String.valueOf(o).trim());
    }

    private static long longValue(Object o) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        try {
            return o == null || String.valueOf(o).isBlank() ? 0 : Long.parseLong(String.valueOf(o).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void sleep(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
