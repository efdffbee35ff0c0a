package io.ferry.sandbox;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * System B of a JellyFish sync (protocols.md §4): {@code POST /receive} with one record as the JSON body answers
 * {@code {"code":"0"}} when it took the record. It remembers every call per record id and which ids it accepted.
 * Faults for tests: refuse an id with code "1" a number of times or always, answer HTTP 500 to the next calls
 * (an outage), or take a record and lose the reply (the connection breaks before the answer).
 * <p>
 * It records each push's {@value #IDEMPOTENCY_HEADER} header (or the one {@link #idempotencyHeader} names); when told to {@link #honourIdempotencyKeys honour}
 * it, a push whose key it has already taken is answered {@code {"code":"0"}} without taking the record again, as a B
 * built after docs/connectors/jellyfish.md does.
 */
public class JellyFishTargetSimulator extends SimulatorServer {

    public static final String PATH = "/receive";
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final int ALWAYS = Integer.MAX_VALUE;

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> received = new ConcurrentHashMap<>();
    private final List<String> acceptedOrder = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    private final AtomicInteger outageCalls = new AtomicInteger();
    private final AtomicInteger totalCalls = new AtomicInteger();
    /** records with a numeric id at or above this answer HTTP 500 (an outage that starts mid-run) */
    private volatile long outageFromId = Long.MAX_VALUE;
    /** a B that answers {"code":0}: not the contract's string, so not a delivery */
    private volatile boolean numericCode;
    private volatile boolean honourIdempotencyKeys;
    private volatile String idempotencyHeader = IDEMPOTENCY_HEADER;
    private final AtomicInteger loseReplies = new AtomicInteger();
    private final Map<String, List<String>> idempotencyKeys = new ConcurrentHashMap<>();
    private final Set<String> keysTaken = ConcurrentHashMap.newKeySet();
    private final AtomicInteger repeatsAnswered = new AtomicInteger();

    public JellyFishTargetSimulator() {
        super("jellyfish-b");
    }

    @Override
    protected void routes(HttpServer server) {
        server.createContext(PATH, handler(this::receive));
    }

    /** The record with this id is answered code "1" the next {@code times} times it is pushed. */
    public void refuse(Object id, int times) {
        refusals.put(String.valueOf(id), new AtomicInteger(times));
    }

    /** The record with this id is always answered code "1". */
    public void refuseAlways(Object id) {
        refuse(id, ALWAYS);
    }

    /** The next {@code n} calls answer HTTP 500, whatever they carry. */
    public void failNextCalls(int n) {
        outageCalls.set(n);
    }

    /** Every call for a record whose numeric id is at least {@code id} answers HTTP 500, until cleared. */
    public void failFromId(long id) {
        outageFromId = id;
    }

    /** Answers {@code code} as a JSON number instead of a string. */
    public void numericCode(boolean on) {
        this.numericCode = on;
    }

    /** A push whose idempotency key was taken before is answered "0" and not taken again. */
    public void honourIdempotencyKeys(boolean on) {
        this.honourIdempotencyKeys = on;
    }

    /** Reads the idempotency key from this header instead of {@value #IDEMPOTENCY_HEADER}. */
    public void idempotencyHeader(String name) {
        this.idempotencyHeader = name;
    }

    /**
     * The next {@code n} records taken for the first time get no reply: the connection breaks after B processed the
     * push (the push that comes again is answered).
     */
    public void loseRepliesAfterProcessing(int n) {
        loseReplies.set(n);
    }

    /** The idempotency keys the pushes of this id carried, one per call that reached B's checks. */
    public List<String> idempotencyKeysFor(Object id) {
        List<String> keys = idempotencyKeys.get(String.valueOf(id));
        if (keys == null) {
            return List.of();
        }
        synchronized (keys) {
            return List.copyOf(keys);
        }
    }

    /** Pushes answered "0" because their idempotency key was taken before (only when honouring keys). */
    public int repeatsAnswered() {
        return repeatsAnswered.get();
    }

    public void clearFaults() {
        refusals.clear();
        loseReplies.set(0);
        outageCalls.set(0);
        outageFromId = Long.MAX_VALUE;
        numericCode = false;
    }

    /** Calls for this id, answered or refused (not counting HTTP 500s). */
    public int callsFor(Object id) {
        AtomicInteger n = calls.get(String.valueOf(id));
        return n == null ? 0 : n.get();
    }

    /** How often this id was accepted: more than once means a duplicate delivery. */
    public int acceptedCount(Object id) {
        AtomicInteger n = accepted.get(String.valueOf(id));
        return n == null ? 0 : n.get();
    }

    /** Ids accepted, in order of first acceptance. */
    public List<String> acceptedIds() {
        synchronized (acceptedOrder) {
            return List.copyOf(acceptedOrder);
        }
    }

    /** Accepted records, by id. */
    public Map<String, Object> received(Object id) {
        return received.get(String.valueOf(id));
    }

    /** Ids accepted more than once. */
    public List<String> duplicates() {
        return accepted.entrySet().stream().filter(e -> e.getValue().get() > 1).map(Map.Entry::getKey).sorted().toList();
    }

    public int totalCalls() {
        return totalCalls.get();
    }

    private void receive(HttpExchange ex) throws IOException {
        totalCalls.incrementAndGet();
        if (!"POST".equals(ex.getRequestMethod())) {
            send(ex, 405, "text/plain", "only POST");
            return;
        }
        if (envelopeFault(ex) != Faults.Fault.NONE) {
            reply(ex, "1", "系统繁忙，请稍后重试"); // injected: B refuses this push, Ferry pushes again
            return;
        }
        if (outageCalls.get() > 0 && outageCalls.getAndDecrement() > 0) {
            send(ex, 500, "text/html; charset=utf-8", "<html><body><h1>500 Internal Server Error</h1></body></html>");
            return;
        }
        Map<String, Object> record;
        try {
            record = JSON.readValue(body(ex), new TypeReference<Map<String, Object>>() {
            });
        } catch (IOException e) {
            reply(ex, "1", "请求体必须是一条JSON记录");
            return;
        }
        Object rawId = record.get("id");
        if (rawId == null) {
            reply(ex, "1", "记录缺少id");
            return;
        }
        String id = String.valueOf(rawId);
        if (rawId instanceof Number n && n.longValue() >= outageFromId) {
            send(ex, 500, "text/html; charset=utf-8", "<html><body><h1>502 Bad Gateway</h1></body></html>");
            return;
        }
        calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        String key = ex.getRequestHeaders().getFirst(idempotencyHeader);
        if (key != null) {
            List<String> keys = idempotencyKeys.computeIfAbsent(id, k -> Collections.synchronizedList(new ArrayList<>()));
            keys.add(key);
        }
        if (honourIdempotencyKeys && key != null && keysTaken.contains(key)) {
            repeatsAnswered.incrementAndGet();
            reply(ex, "0", "success (already processed)");
            return;
        }
        AtomicInteger refuse = refusals.get(id);
        if (refuse != null && refuse.get() > 0) {
            if (refuse.get() != ALWAYS) {
                refuse.decrementAndGet();
            }
            reply(ex, "1", "记录" + id + "校验失败");
            return;
        }
        boolean first = accepted.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() == 1;
        if (first) {
            acceptedOrder.add(id);
            received.put(id, record);
        }
        if (key != null) {
            keysTaken.add(key);
        }
        if (first && loseReplies.get() > 0 && loseReplies.getAndDecrement() > 0) {
            // processed, but the answer never arrives: the connection breaks in the middle of it
            ex.sendResponseHeaders(200, 4096);
            ex.getResponseBody().write("{\"code\":".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ex.getResponseBody().flush();
            throw new IOException("reply lost");
        }
        reply(ex, "0", "success");
    }

    private void reply(HttpExchange ex, String code, String msg) throws IOException {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("code", numericCode ? (Object) Integer.valueOf(code) : code);
        reply.put("msg", msg);
        json(ex, 200, reply);
    }
}
