package io.ferry.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * Base of the vendor simulators: a real HTTP server on 127.0.0.1 (a free port unless one is given) with
 * helpers to read forms and JSON and to answer with a vendor's envelope.
 */
public abstract class SimulatorServer implements AutoCloseable {

    protected static final ObjectMapper JSON = new ObjectMapper();

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes wait for the client's delayed ACK:
        // about 40 ms per call, which dominates a sync that pushes one record per call. Read once, at first use.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String name;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong faultsInjected = new AtomicLong();
    private volatile Faults.Picker faults = Faults.NONE.picker();
    private HttpServer server;
    private ExecutorService executor;

    protected SimulatorServer(String name) {
        this.name = name;
    }

    /** Registers the simulator's handlers on its server. */
    protected abstract void routes(HttpServer server);

    public SimulatorServer start() {
        return start(0);
    }

    public synchronized SimulatorServer start(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        } catch (IOException e) {
            throw new IllegalStateException(name + " simulator cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, name + "-sim");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        routes(server);
        server.start();
        return this;
    }

    /** e.g. {@code http://127.0.0.1:41234} */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String name() {
        return name;
    }

    /** Requests served so far (all endpoints). */
    public long requests() {
        return requests.get();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /** Injects these faults from now on ({@link Faults#NONE} to stop). */
    public void setFaults(Faults faults) {
        this.faults = faults.picker();
        this.slowMillis = faults.slowMillis();
    }

    public long faultsInjected() {
        return faultsInjected.get();
    }

    /**
     * The fault drawn for this request that the simulator answers in its own envelope (rate limit, vendor error),
     * or NONE.
     */
    protected static Faults.Fault envelopeFault(HttpExchange ex) {
        Object f = ex.getAttribute(FAULT);
        return f == null ? Faults.Fault.NONE : (Faults.Fault) f;
    }

    private static final String FAULT = "ferry.sandbox.fault";

    /**
     * Wraps a handler: counts the request, injects the HTTP-level faults drawn for it, and turns an unexpected
     * exception into HTTP 500.
     */
    protected HttpHandler handler(HttpHandler h) {
        return ex -> {
            requests.incrementAndGet();
            Faults.Fault fault = faults.next();
            if (fault != Faults.Fault.NONE) {
                faultsInjected.incrementAndGet();
            }
            try (ex) {
                switch (fault) {
                case HTTP_500 -> send(ex, 500, "text/html; charset=utf-8",
                        "<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>");
                case LOST_REPLY -> {
                    // the request is processed in full; its answer never reaches the client
                    h.handle(new AnswerLost(ex));
                    ex.sendResponseHeaders(200, 4096);
                    ex.getResponseBody().flush();
                    throw new java.io.IOException("reply lost");
                }
                case DROP -> {
                    // the connection ends in the middle of the answer
                    ex.sendResponseHeaders(200, 4096);
                    ex.getResponseBody().write("{\"code\":".getBytes(StandardCharsets.UTF_8));
                    ex.getResponseBody().flush();
                    throw new java.io.IOException("dropped");
                }
                case MALFORMED_JSON -> send(ex, 200, "application/json; charset=utf-8", "{\"code\":0,\"data\":{\"datas\":[{\"trunc");
                case HTML_PAGE -> send(ex, 200, "text/html; charset=utf-8", "<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>");
                case SLOW -> {
                    sleep(slowMillis);
                    h.handle(ex);
                }
                default -> {
                    ex.setAttribute(FAULT, fault);
                    h.handle(ex);
                }
                }
            } catch (RuntimeException e) {
                send(ex, 500, "text/plain; charset=utf-8", "simulator error: " + e);
            } catch (java.io.IOException e) {
                // a dropped connection (injected, or the client gave up): nothing more to answer
            }
        };
    }

    private volatile long slowMillis = 200;

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    protected static String body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    protected static Map<String, String> form(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    protected static void json(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        send(ex, status, "application/json; charset=utf-8", bytes);
    }

    protected static void send(HttpExchange ex, int status, String contentType, String text) throws IOException {
        send(ex, status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    private static final String ON_ANSWER = "ferry.simulator.onAnswer";

    /**
     * Runs {@code r} once, when the answer of {@code ex} is about to be written (or at the latest when the caller
     * runs it itself): a vendor has finished a call when it answers it, not when the bytes have reached the client.
     */
    protected static Runnable onAnswer(HttpExchange ex, Runnable r) {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable once = () -> {
            if (done.compareAndSet(false, true)) {
                r.run();
            }
        };
        ex.setAttribute(ON_ANSWER, once);
        return once;
    }

    protected static void send(HttpExchange ex, int status, String contentType, byte[] bytes) throws IOException {
        if (ex.getAttribute(ON_ANSWER) instanceof Runnable r) {
            r.run();
        }
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
