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
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** Who may reach the console: login, CSRF, loopback-only without a login. */
class ConsoleAccessTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void refusesANonLoopbackAddressWithoutALogin() {
        assertThatThrownBy(() -> new ConsoleServer("0.0.0.0", 0, "", "", null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without a login");
        assertThatThrownBy(() -> new ConsoleServer("127.0.0.1", 0, "admin", "", null, null, null))
                .hasMessageContaining("set together");
        // with a login any address is allowed
        new ConsoleServer("0.0.0.0", 0, "admin", "pw-123456", null, null, null);
    }

    @Test
    void withALoginEveryPageAndActionNeedsTheSessionAndItsCsrfToken() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 10).with("ferry.console.username", "admin")
                .with("ferry.console.password", "pw-123456").start()) {
            String base = "http://127.0.0.1:" + console(f).port();
            for (String page : new String[] { "/", "/runs", "/dead-letters", "/api-calls" }) {
                HttpResponse<String> r = get(base + page, null);
                assertThat(r.statusCode()).isEqualTo(303);
                assertThat(r.headers().firstValue("Location")).hasValue("/login");
            }
            assertThat(post(base + "/syncs/run", "sync=jst-shops-to-mysql&csrf=x", null).statusCode()).isEqualTo(303);
            assertThat(post(base + "/login", "username=admin&password=nope", null).statusCode()).isEqualTo(401);

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
