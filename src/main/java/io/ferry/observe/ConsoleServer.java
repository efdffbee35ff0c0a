package io.ferry.observe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.ferry.auth.LoginThrottle;
import io.ferry.deadletter.DeadLetterService;
import io.ferry.observe.ConsoleSessions.Session;
import io.ferry.state.FerryState;
import io.ferry.state.RunRepository.RunRecord;

/**
 * Ferry's web console on the JDK HTTP server: syncs, runs, dead letters, API calls. Logins come from
 * {@code ferry.console.username}/{@code password}; without them it serves only a loopback address (and then
 * without a login). Every form posts a per-session CSRF token; pages send a CSP that allows no script. Failed
 * logins are throttled per client address and for the account ({@link LoginThrottle}). The client address
 * is the socket's, unless {@code trustProxy} says a reverse proxy in front adds X-Forwarded-For (and
 * X-Forwarded-Proto, which makes the session cookie {@code Secure} when it says https).
 */
public class ConsoleServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    private static final int MAX_FORM_BYTES = 64 * 1024;
    /** what an address in X-Forwarded-For may look like (IPv4 or IPv6); anything else is not used as a key or logged */
    private static final Pattern IP_ADDRESS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final boolean trustProxy;
    private final LoginThrottle throttle;
    private final ConsolePages pages;
    private final SyncActions actions;
    private final FerryState state;
    private final ConsoleSessions sessions = new ConsoleSessions(Duration.ofHours(12));
    /** the session used by everyone when no login is configured (loopback only) */
    private final Session open = new Session(java.util.UUID.randomUUID().toString());
    private HttpServer server;
    private ExecutorService http;
    private ExecutorService runner;

    public ConsoleServer(String host, int port, String username, String password, boolean trustProxy,
            LoginThrottle.Settings throttle, ConsolePages pages, SyncActions actions, FerryState state) {
        this.host = host;
        this.port = port;
        this.username = blank(username) ? null : username;
        this.password = blank(password) ? null : password;
        this.trustProxy = trustProxy;
        this.throttle = new LoginThrottle(throttle);
        this.pages = pages;
        this.actions = actions;
        this.state = state;
        if ((this.username == null) != (this.password == null)) {
            throw new IllegalArgumentException("ferry.console.username and ferry.console.password must be set together");
        }
        if (!loginEnabled() && !isLoopback(host)) {
            throw new IllegalArgumentException("the console will not listen on " + host
                    + " without a login: set ferry.console.username and ferry.console.password, or ferry.console.host = 127.0.0.1");
        }
    }

    private boolean loginEnabled() {
        return username != null;
    }

    private static boolean loopbackHost(String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        String h = hostHeader.startsWith("[") ? hostHeader.substring(0, hostHeader.indexOf(']') + 1)
                : hostHeader.replaceFirst(":\\d+$", "");
        return h.equals("127.0.0.1") || h.equals("localhost") || h.equals("[::1]");
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    protected void doStart() throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 50);
        http = Executors.newFixedThreadPool(4, daemon("ferry-console"));
        runner = Executors.newSingleThreadExecutor(daemon("ferry-console-run"));
        server.setExecutor(http);
        server.createContext("/", this::handle);
        server.start();
        if (!loginEnabled()) {
            LOG.warn("console without a login on http://{}:{}/ (loopback only); set ferry.console.username and password", host, port());
        } else {
            LOG.info("console on http://{}:{}/", host, port());
        }
    }

    @Override
    protected void doStop() throws InterruptedException {
        if (server != null) {
            server.stop(1);
            server = null;
        }
        if (http != null) {
            http.shutdownNow();
        }
        if (runner != null) {
            // a run started from the console ends with the context's shutdown
            runner.shutdown();
            runner.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** The port listened on (useful when {@code ferry.console.port} is 0). */
    public int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals("/login")) {
                login(ex, method);
                return;
            }
            if (!loginEnabled() && !loopbackHost(ex.getRequestHeaders().getFirst("Host"))) {
                // without a login, a page on another site must not reach the console through a name resolving to 127.0.0.1
                send(ex, 403, "text/plain", "use http://127.0.0.1:" + port() + "/");
                return;
            }
            Session session = loginEnabled() ? sessions.find(ex.getRequestHeaders().getFirst("Cookie")) : open;
            if (session == null) {
                redirect(ex, "/login");
                return;
            }
            if ("POST".equals(method)) {
                Map<String, String> form = form(ex);
                if (!MessageDigest.isEqual(session.csrf.getBytes(StandardCharsets.UTF_8),
                        form.getOrDefault("csrf", "").getBytes(StandardCharsets.UTF_8))) {
                    send(ex, 403, "text/plain", "the form is stale: reload the page");
                    return;
                }
                post(ex, path, form, session);
                return;
            }
            if (!"GET".equals(method)) {
                send(ex, 405, "text/plain", "GET or POST");
                return;
            }
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            String html = switch (path) {
            case "/" -> Html.page("Syncs", session.takeFlash(), session.csrf, loginEnabled(), pages.syncs(session.csrf));
            case "/runs" -> Html.page("Runs", session.takeFlash(), session.csrf, loginEnabled(), pages.runs(q.get("sync")));
            case "/dead-letters" -> Html.page("Dead letters", session.takeFlash(), session.csrf, loginEnabled(),
                    pages.deadLetters(q.get("sync"), session.csrf));
            case "/api-calls" -> Html.page("API calls", session.takeFlash(), session.csrf, loginEnabled(),
                    pages.apiCalls(q.get("sync"), q.get("key"), q.get("from"), q.get("to")));
            default -> null;
            };
            if (html == null) {
                send(ex, 404, "text/plain", "not found");
            } else {
                send(ex, 200, "text/html;charset=utf-8", html);
            }
        } catch (RuntimeException e) {
            LOG.warn("console: {} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.toString());
            try {
                send(ex, 500, "text/plain", "the page could not be made: " + e.getMessage());
            } catch (IOException | RuntimeException ignored) {
                // the response was already under way
            }
        }
    }

    private void login(HttpExchange ex, String method) throws IOException {
        if (!loginEnabled()) {
            redirect(ex, "/");
            return;
        }
        String error = null;
        int status = 200;
        if ("POST".equals(method)) {
            String client = clientAddress(ex);
            Duration wait = throttle.admit(client);
            if (!wait.isZero()) {
                long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                ex.getResponseHeaders().set("Retry-After", String.valueOf(seconds));
                error = "Too many failed logins: try again in " + seconds + " s.";
                status = 429;
            } else {
                Map<String, String> form = form(ex);
                boolean userOk = MessageDigest.isEqual(username.getBytes(StandardCharsets.UTF_8),
                        form.getOrDefault("username", "").getBytes(StandardCharsets.UTF_8));
                boolean passOk = MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8),
                        form.getOrDefault("password", "").getBytes(StandardCharsets.UTF_8));
                if (userOk && passOk) {
                    throttle.succeeded(client);
                    String token = sessions.create();
                    ex.getResponseHeaders().add("Set-Cookie", ConsoleSessions.COOKIE + "=" + token + cookieAttributes(ex));
                    redirect(ex, "/");
                    return;
                }
                LOG.warn("console: failed login from {}", client);
                error = "Wrong user name or password.";
                status = 401;
            }
        }
        String body = (error == null ? "" : "<p class=\"flash\" id=\"login-error\">" + Html.esc(error) + "</p>")
                + "<form method=\"post\" action=\"/login\" id=\"login\"><p><label>User <input name=\"username\" id=\"username\" "
                + "autocomplete=\"username\" required></label></p><p><label>Password <input type=\"password\" name=\"password\" "
                + "id=\"password\" autocomplete=\"current-password\" required></label></p><p><button id=\"login-button\">Log in"
                + "</button></p></form>";
        send(ex, status, "text/html;charset=utf-8",
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Ferry — log in</title></head><body>"
                        + "<h1>Ferry</h1>" + body + "</body></html>");
    }

    private void post(HttpExchange ex, String path, Map<String, String> form, Session session) throws IOException {
        switch (path) {
        case "/logout" -> {
            sessions.remove(ex.getRequestHeaders().getFirst("Cookie"));
            ex.getResponseHeaders().add("Set-Cookie", ConsoleSessions.COOKIE + "=; Max-Age=0" + cookieAttributes(ex));
            redirect(ex, "/login");
        }
        case "/syncs/run" -> {
            String sync = form.getOrDefault("sync", "");
            session.flash = runNow(sync);
            redirect(ex, "/runs?sync=" + java.net.URLEncoder.encode(sync, StandardCharsets.UTF_8));
        }
        case "/dead-letters/replay" -> {
            DeadLetterService service = actions.deadLetters();
            String sync = form.getOrDefault("sync", "");
            session.flash = service == null ? "Replay is unavailable: no dead-letter service is bound."
                    : service.replay(sync) + " dead letter(s) of " + sync + " replayed.";
            redirect(ex, "/dead-letters");
        }
        case "/dead-letters/discard" -> {
            DeadLetterService service = actions.deadLetters();
            long id = Long.parseLong(form.getOrDefault("id", "0"));
            if (service == null) {
                session.flash = "Discard is unavailable: no dead-letter service is bound.";
            } else {
                session.flash = service.discard(id, form.getOrDefault("reason", "discarded in the console"))
                        ? "Dead letter " + id + " discarded." : "Dead letter " + id + " is not open.";
            }
            redirect(ex, "/dead-letters");
        }
        default -> send(ex, 404, "text/plain", "not found");
        }
    }

    /**
     * Starts the run off the request thread (a run can take minutes) and waits briefly for its row, so that the
     * runs page the browser goes to next already shows it.
     */
    private String runNow(String sync) {
        if (!actions.knows(sync)) {
            return "No sync named " + sync + " runs in this process.";
        }
        if (actions.notConfigured(sync) != null) {
            return sync + " is " + actions.notConfigured(sync) + ".";
        }
        if (actions.isRunning(sync)) {
            return sync + " is running already.";
        }
        // the sync's own runs: a replay's or a scheduled reconcile's run is not the one asked for
        RunRecord last = state.runs().last(sync, io.ferry.state.RunRepository.SYNC);
        long before = last == null ? 0 : last.id();
        runner.submit(() -> {
            try {
                actions.runNow(sync);
            } catch (RuntimeException e) {
                LOG.warn("console: run of {} failed to start: {}", sync, e.getMessage());
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline) {
            RunRecord now = state.runs().last(sync, io.ferry.state.RunRepository.SYNC);
            if (now != null && now.id() > before) {
                return "Run " + now.id() + " of " + sync + " started.";
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return "Run of " + sync + " requested.";
    }

    /**
     * Who is logging in: the socket's address, or with {@code trustProxy} the last X-Forwarded-For address (the one
     * the proxy in front added; earlier ones are the client's own say).
     */
    private String clientAddress(HttpExchange ex) {
        String socket = ex.getRemoteAddress().getAddress().getHostAddress();
        if (!trustProxy) {
            return socket;
        }
        String forwarded = lastValue(ex.getRequestHeaders().get("X-Forwarded-For"));
        return forwarded != null && IP_ADDRESS.matcher(forwarded).matches() ? forwarded : socket;
    }

    /** HttpOnly and SameSite always; Secure when the trusted proxy says the browser came over https. */
    private String cookieAttributes(HttpExchange ex) {
        boolean https = trustProxy && "https".equalsIgnoreCase(lastValue(ex.getRequestHeaders().get("X-Forwarded-Proto")));
        return "; Path=/; HttpOnly; SameSite=Strict" + (https ? "; Secure" : "");
    }

    /** The last element of a comma-separated header that may be sent several times. */
    private static String lastValue(List<String> headers) {
        if (headers == null || headers.isEmpty()) {
            return null;
        }
        String[] parts = headers.get(headers.size() - 1).split(",");
        String last = parts[parts.length - 1].strip();
        return last.isEmpty() ? null : last;
    }

    private static Map<String, String> form(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_FORM_BYTES + 1);
            if (b.length > MAX_FORM_BYTES) {
                throw new IllegalArgumentException("form too large");
            }
            return query(new String(b, StandardCharsets.UTF_8));
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String kv : raw.split("&")) {
            int i = kv.indexOf('=');
            String k = URLDecoder.decode(i < 0 ? kv : kv.substring(0, i), StandardCharsets.UTF_8);
            String v = i < 0 ? "" : URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8);
            m.putIfAbsent(k, v);
        }
        return m;
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(303, -1);
    }

    private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        var h = ex.getResponseHeaders();
        h.set("Content-Type", contentType);
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
