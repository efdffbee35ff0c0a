package io.ferry.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** Who may reach the console: login, CSRF, loopback-only without a login. */
class ConsoleAccessTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    /** small delays, so that the throttling tests take seconds: 100, 200, 400, 400 … ms; 5 failures lock for 5 s */
    private static final io.ferry.auth.LoginThrottle.Settings THROTTLE = new io.ferry.auth.LoginThrottle.Settings(5, Duration.ofSeconds(5),
            Duration.ofMillis(100), Duration.ofMillis(400));
    private static final String WRONG = "username=admin&password=guess";
    private static final String RIGHT = "username=admin&password=pw-123456";

    @Test
    void refusesANonLoopbackAddressWithoutALogin() {
        assertThatThrownBy(() -> new ConsoleServer("0.0.0.0", 0, "", "", false, THROTTLE, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without a login");
        assertThatThrownBy(() -> new ConsoleServer("127.0.0.1", 0, "admin", "", false, THROTTLE, null, null, null))
                .hasMessageContaining("set together");
        // with a login any address is allowed
        new ConsoleServer("0.0.0.0", 0, "admin", "pw-123456", false, THROTTLE, null, null, null);
    }

    @Test
    void withALoginEveryPageAndActionNeedsTheSessionAndItsCsrfToken() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 10).with("ferry.console.username", "admin")
                .with("ferry.console.password", "pw-123456").with("ferry.console.login.delay-ms", "200").start()) {
            String base = "http://127.0.0.1:" + console(f).port();
            for (String page : new String[] { "/", "/runs", "/dead-letters", "/api-calls" }) {
                HttpResponse<String> r = get(base + page, null);
                assertThat(r.statusCode()).isEqualTo(303);
                assertThat(r.headers().firstValue("Location")).hasValue("/login");
            }
            assertThat(post(base + "/syncs/run", "sync=jst-shops-to-mysql&csrf=x", null).statusCode()).isEqualTo(303);
            assertThat(post(base + "/login", "username=admin&password=nope", null).statusCode()).isEqualTo(401);
            // after a failure the next attempt waits its turn, the right one too
            HttpResponse<String> tooSoon = post(base + "/login", "username=admin&password=pw-123456", null);
            assertThat(tooSoon.statusCode()).isEqualTo(429);
            assertThat(tooSoon.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(tooSoon.headers().firstValue("Set-Cookie")).isEmpty();
            Thread.sleep(200);

            HttpResponse<String> login = post(base + "/login", "username=admin&password=pw-123456", null);
            assertThat(login.statusCode()).isEqualTo(303);
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("HttpOnly").contains("SameSite=Strict");
            HttpResponse<String> home = get(base + "/", cookie);
            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(home.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'");
            // a forged form without the page's token is refused, and nothing runs
            assertThat(post(base + "/syncs/run", "sync=jst-shops-to-mysql&csrf=forged", cookie).statusCode()).isEqualTo(403);
            assertThat(f.state().runs().recent(null, 10)).isEmpty();
        }
    }

    @Test
    void withoutALoginItAnswersOnlyLoopbackHostNames() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 10).start()) {
            int port = console(f).port();
            assertThat(get("http://127.0.0.1:" + port + "/", null).statusCode()).isEqualTo(200);
            assertThat(rawGet(port, "127.0.0.1:" + port)).startsWith("HTTP/1.1 200");
            assertThat(rawGet(port, "localhost:" + port)).startsWith("HTTP/1.1 200");
            // DNS rebinding: a foreign name that resolves to 127.0.0.1
            assertThat(rawGet(port, "attacker.example:" + port)).startsWith("HTTP/1.1 403");
        }
    }

    @Test
    void eightClientsGuessingFromOneAddressReachThePasswordCheckAtMostMaxFailuresTimes() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 10).with("ferry.console.username", "admin")
                .with("ferry.console.password", "pw-123456").with("ferry.console.login.max-failures", "5")
                .with("ferry.console.login.lockout-seconds", "5").with("ferry.console.login.delay-ms", "100")
                .with("ferry.console.login.max-delay-ms", "400").start()) {
            int port = console(f).port();
            // each guesser claims its own X-Forwarded-For: the console does not trust proxies, so all are 127.0.0.1
            Guesses g = guess(8, Duration.ofSeconds(3), i -> rawPost("127.0.0.1", port, WRONG, "X-Forwarded-For: 10.0.0." + i));
            // before the change: 4 request threads, each check followed by 0.5 s of sleep, ~24 checks in 3 s
            assertThat(g.checked.get()).as("attempts that reached the password check").isBetween(1, 5);
            assertThat(g.throttled.get()).as("attempts answered 429 with Retry-After").isPositive();
            assertThat(g.other).isEmpty();

            // locked: even the right password is not looked at
            String locked = rawPost("127.0.0.1", port, RIGHT);
            assertThat(locked).startsWith("HTTP/1.1 429").doesNotContain("Set-Cookie");
            assertThat(Integer.parseInt(header(locked, "Retry-After"))).isBetween(1, 5);
            // another client logs in (the account's own delay, at most 400 ms, has long passed)
            String other = rawPost("127.0.0.2", port, RIGHT);
            assertThat(other).startsWith("HTTP/1.1 303");
            assertThat(header(other, "Set-Cookie")).startsWith(ConsoleSessions.COOKIE + "=");
        }
    }

    @Test
    void behindATrustedProxyManyAddressesTogetherAreHeldToTheAccountsDelay() throws Exception {
        ConsoleServer console = new ConsoleServer("127.0.0.1", 0, "admin", "pw-123456", true, THROTTLE, null, null, null);
        console.start();
        try {
            int port = console.port();
            long t0 = System.nanoTime();
            Guesses g = guess(8, Duration.ofSeconds(2), i -> rawPost("127.0.0.1", port, WRONG, "X-Forwarded-For: 10.0.0." + i));
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            // one check, then one per delay: 100, 200, 400, 400 … ms after the one before
            int bound = 1;
            for (long sum = 0, delay = 100; sum + delay <= elapsedMs; sum += delay, delay = Math.min(400, delay * 2)) {
                bound++;
            }
            // per address alone, 8 addresses would reach 8 x 5 = 40 checks
            assertThat(g.checked.get()).as("checks in %d ms", elapsedMs).isBetween(1, bound);
            assertThat(g.other).isEmpty();
            // the addresses are the proxy's: 127.0.0.1 itself made every request, yet a new address logs in
            Thread.sleep(400);
            assertThat(rawPost("127.0.0.1", port, RIGHT, "X-Forwarded-For: 198.51.100.7, 10.9.9.9")).startsWith("HTTP/1.1 303");
        } finally {
            console.stop();
        }
    }

    @Test
    void theSessionCookieIsSecureOnlyWhenATrustedProxySaysHttps() throws Exception {
        ConsoleServer untrusting = new ConsoleServer("127.0.0.1", 0, "admin", "pw-123456", false, THROTTLE, null, null, null);
        ConsoleServer trusting = new ConsoleServer("127.0.0.1", 0, "admin", "pw-123456", true, THROTTLE, null, null, null);
        untrusting.start();
        trusting.start();
        try {
            String spoofed = header(rawPost("127.0.0.1", untrusting.port(), RIGHT, "X-Forwarded-Proto: https"), "Set-Cookie");
            assertThat(spoofed).contains("HttpOnly").contains("SameSite=Strict").doesNotContain("Secure");
            String plain = header(rawPost("127.0.0.1", trusting.port(), RIGHT), "Set-Cookie");
            assertThat(plain).contains("HttpOnly").contains("SameSite=Strict").doesNotContain("Secure");
            String https = header(rawPost("127.0.0.1", trusting.port(), RIGHT, "X-Forwarded-Proto: https"), "Set-Cookie");
            assertThat(https).contains("HttpOnly").contains("SameSite=Strict").endsWith("; Secure");
        } finally {
            untrusting.stop();
            trusting.stop();
        }
    }

    /** What parallel guessers got: 401 (the password was checked), 429 with Retry-After, anything else. */
    private record Guesses(AtomicInteger checked, AtomicInteger throttled, List<String> other) {
    }

    @FunctionalInterface
    private interface Attempt {
        String post(int client) throws Exception;
    }

    private static Guesses guess(int clients, Duration during, Attempt attempt) throws Exception {
        Guesses g = new Guesses(new AtomicInteger(), new AtomicInteger(), java.util.Collections.synchronizedList(new ArrayList<>()));
        long end = System.nanoTime() + during.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int client = i;
                running.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        String r = attempt.post(client);
                        if (r.startsWith("HTTP/1.1 401")) {
                            g.checked.incrementAndGet();
                        } else if (r.startsWith("HTTP/1.1 429") && header(r, "Retry-After") != null) {
                            g.throttled.incrementAndGet();
                        } else {
                            g.other.add(r.lines().findFirst().orElse(r));
                        }
                        // a guesser that does not wait for Retry-After, at a pace the shared test machine can take
                        Thread.sleep(20);
                    }
                    return null;
                }));
            }
            for (Future<?> r : running) {
                r.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return g;
    }

    /** A login form posted from a chosen local address (127.0.0.2 is another client on the loopback network). */
    private static String rawPost(String from, int port, String form, String... headers) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port));
            byte[] body = form.getBytes(StandardCharsets.UTF_8);
            StringBuilder req = new StringBuilder("POST /login HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String header(String response, String name) {
        return response.lines().takeWhile(l -> !l.isEmpty()).filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                .map(l -> l.substring(name.length() + 1).strip()).findFirst().orElse(null);
    }

    private static ConsoleServer console(FerryHarness f) {
        return f.app().camel().getRegistry().lookupByNameAndType(Observability.CONSOLE_BEAN, ConsoleServer.class);
    }

    private static HttpResponse<String> get(String url, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String form, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The JDK client will not send a Host header of our choosing. */
    private static String rawGet(int port, String host) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
