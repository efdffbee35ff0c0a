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
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * System A of a JellyFish sync (protocols.md §4): {@code POST /pull} with {@code {"offset":"<last>"}} answers
 * {@code {"code":"0","data":[…]}} with the records whose numeric {@code id} is greater than the offset, ascending,
 * at most {@code pageSize} of them. Extra request keys (JellyFish itself sends producerKey, uId, filter) are
 * ignored. Records are generated on demand; {@link #append} adds more while it runs.
 */
public class JellyFishSourceSimulator extends SimulatorServer {

    public static final String PATH = "/pull";

    private final AtomicLong count;
    private volatile int pageSize;
    private volatile String offsetKey = "offset";
    private final AtomicInteger overridesLeft = new AtomicInteger();
    private volatile String[] override;
    /** ids served without their id field, for bad-record tests */
    private final Set<Long> withoutId = ConcurrentHashMap.newKeySet();
    private final List<Map<String, Object>> requests = Collections.synchronizedList(new ArrayList<>());

    public JellyFishSourceSimulator(long records, int pageSize) {
        super("jellyfish-a");
        this.count = new AtomicLong(records);
        this.pageSize = pageSize;
    }

    @Override
    protected void routes(HttpServer server) {
        server.createContext(PATH, handler(this::pull));
    }

    /** Records with the next ids appear, as if just written in A. */
    public void append(long n) {
        count.addAndGet(n);
    }

    public long count() {
        return count.get();
    }

    public void pageSize(int size) {
        this.pageSize = size;
    }

    /** The name of the offset in the request body (default {@code offset}). */
    public void offsetKey(String key) {
        this.offsetKey = key;
    }

    /** The next {@code n} pulls answer this instead of data. */
    public void overrideNext(int n, int httpStatus, String contentType, String body) {
        override = new String[] { String.valueOf(httpStatus), contentType, body };
        overridesLeft.set(n);
    }

    /** The record with this id is served without its {@code id}. */
    public void dropIdOf(long id) {
        withoutId.add(id);
    }

    public void clearFaults() {
        overridesLeft.set(0);
        withoutId.clear();
    }

    /** The request bodies received, in order. */
    public List<Map<String, Object>> requestsReceived() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The generated record {@code id} (from 1): the same on every call. */
    public static Map<String, Object> record(long id) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("order_no", String.format("SO%08d", id));
        r.put("customer", "客户" + (id % 97));
        r.put("quantity", (int) (id % 50) + 1);
        r.put("amount", String.format("%d.%02d", 10 + id % 1000, id % 100));
        r.put("status", id % 5 == 0 ? "cancelled" : "paid");
        r.put("updated_at", String.format("2025-%02d-%02d %02d:%02d:%02d", 1 + id % 12, 1 + id % 28, id % 24, id % 60, (id * 7) % 60));
        return r;
    }

    private void pull(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            send(ex, 405, "text/plain", "only POST");
            return;
        }
        Map<String, Object> req;
        try {
            req = JSON.readValue(body(ex), new TypeReference<Map<String, Object>>() {
            });
        } catch (IOException e) {
            reply(ex, "1", "请求体不是JSON对象", null);
            return;
        }
        requests.add(req);
        if (envelopeFault(ex) != Faults.Fault.NONE) {
            reply(ex, "1", "系统繁忙，请稍后重试", null);
            return;
        }
        if (overridesLeft.get() > 0 && overridesLeft.getAndDecrement() > 0) {
            String[] o = override;
            send(ex, Integer.parseInt(o[0]), o[1], o[2]);
            return;
        }
        Object raw = req.get(offsetKey);
        long offset;
        try {
            offset = raw == null || raw.toString().isEmpty() ? 0 : Long.parseLong(raw.toString());
        } catch (NumberFormatException e) {
            reply(ex, "1", offsetKey + "必须是数字: " + raw, null);
            return;
        }
        List<Map<String, Object>> data = new ArrayList<>();
        long total = count.get();
        for (long id = Math.max(1, offset + 1); id <= total && data.size() < pageSize; id++) {
            Map<String, Object> r = record(id);
            if (withoutId.contains(id)) {
                r.remove("id");
            }
            data.add(r);
        }
        reply(ex, "0", "success", data);
    }

    private static void reply(HttpExchange ex, String code, String msg, List<Map<String, Object>> data) throws IOException {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("code", code);
        reply.put("action", null);
        reply.put("msg", msg);
        reply.put("timestamp", System.currentTimeMillis());
        reply.put("data", data);
        json(ex, 200, reply);
    }
}
