package io.ferry.support;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.observe.ManagementServer;
import io.ferry.observe.Observability;

/**
 * A browser's session with the console over real HTTP, without the browser: it logs in with the login form (and its
 * CSRF field), keeps the cookies, and calls the API as the console's pages do (the session cookie, and X-XSRF-TOKEN
 * on every change). What the console's pages show is what these calls answer.
 */
public final class ConsoleLogin {

    private static final ObjectMapper JSON = new ObjectMapper();

    public record Answer(int status, String body, java.net.http.HttpHeaders headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    private final String base;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;

    public ConsoleLogin(String base) {
        this.base = base;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The management server's address of a running Ferry. */
    public static String base(FerryHarness f) {
        ManagementServer m = f.app().camel().getRegistry().lookupByNameAndType(Observability.MANAGEMENT_BEAN, ManagementServer.class);
        return "http://127.0.0.1:" + m.port();
    }

    /** Logs in; fails the test unless the form's answer goes to the console. */
    public static ConsoleLogin logIn(FerryHarness f, String user, String password) throws Exception {
        ConsoleLogin c = new ConsoleLogin(base(f));
        Answer a = c.submitLogin(user, password);
        if (a.status() != 303 || !"/console/".equals(a.headers().firstValue("Location").orElse(null))) {
            throw new AssertionError("login of " + user + " refused: " + a.status() + " " + a.headers().firstValue("Location"));
        }
        // the redirect the browser follows: the page's GET issues the CSRF token of the new session
        c.get("/console/");
        return c;
    }

    /** GET the login page (its CSRF cookie), then post the form as the page does. */
    public Answer submitLogin(String user, String password) throws Exception {
        send(HttpRequest.newBuilder(URI.create(base + "/console/login")).GET());
        String form = "X-XSRF-TOKEN=" + enc(csrf()) + "&username=" + enc(user) + "&password=" + enc(password);
        return send(HttpRequest.newBuilder(URI.create(base + "/console/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    public Answer get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** A POST as the console's script makes it: JSON (or no body) and the CSRF token from the cookie. */
    public Answer post(String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("X-XSRF-TOKEN", csrf())
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return send(b);
    }

    public Answer send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r.headers());
    }

    /** The CSRF token the last answer set, or "" when none. */
    public String csrf() {
        return cookie("XSRF-TOKEN");
    }

    public String cookie(String name) {
        for (HttpCookie c : cookies.getCookieStore().getCookies()) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        return "";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
