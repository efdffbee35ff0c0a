package io.ferry.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.ferry.support.ConsoleLogin;
import io.ferry.support.ConsoleLogin.Answer;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * Who may reach the console, over real HTTP: nothing without a login, every change with the login's CSRF token, the
 * cookies' flags, the page's script policy, the throttled logins, roles, and the settings of the console it replaced.
 */
class ConsoleAccessTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final String SYNC = "jst-shops-to-mysql";

    private static FerryHarness ferry() {
        return new FerryHarness(Db.H2, 10).withUser("olga", "operator", "olga-pass-1").withUser("vic", "viewer", "vic-pass-1")
                .with("ferry.management.login.delay-ms", "100").with("ferry.management.login.max-delay-ms", "200");
    }

    @Test
    void withoutALoginThePagesGoToTheLoginFormAndTheApiAnswers401() throws Exception {
        try (FerryHarness f = ferry().start()) {
            String base = ConsoleLogin.base(f);
            HttpResponse<String> page = get(base + "/console/");
            assertThat(page.statusCode()).isEqualTo(303);
            assertThat(page.headers().firstValue("Location")).hasValue("/console/login");
            // the login form: served, with a policy that allows no inline script and no other site
            HttpResponse<String> login = get(base + "/console/login");
            assertThat(login.statusCode()).isEqualTo(200);
            // asking for the form, a page or the API without a login keeps no session (nothing to fill memory with)
            assertThat(login.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("ferry_session="))
                    .anyMatch(c -> c.startsWith("XSRF-TOKEN="));
            assertThat(page.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("ferry_session="));
            HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/console/"))
                    .header("Cookie", "ferry_session=" + "ab".repeat(32)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(303);
            assertThat(unknown.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("ferry_session=") && !c.contains("Max-Age=0"));
            assertThat(login.body()).contains("id=\"login\"").doesNotContain("<script>");
            assertThat(login.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'")
                    .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
            assertThat(login.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            // the pages' data: nothing without a login
            for (String path : List.of("/api/v1/me", "/api/v1/syncs", "/api/v1/runs", "/api/v1/dead-letters", "/api/v1/audit")) {
                assertThat(get(base + path).statusCode()).as(path).isEqualTo(401);
            }
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/syncs/" + SYNC + "/run"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_run")).isZero();
        }
    }

    @Test
    void aLoginGivesAnHttpOnlySameSiteSessionWhoseChangesNeedItsCsrfToken() throws Exception {
        try (FerryHarness f = ferry().start()) {
            ConsoleLogin olga = ConsoleLogin.logIn(f, "olga", "olga-pass-1");
            assertThat(olga.get("/api/v1/me").json().path("role").asText()).isEqualTo("operator");
            assertThat(olga.get("/api/v1/me").json().path("kind").asText()).isEqualTo("session");

            // a change without the token, or with another one, changes nothing
            String run = ConsoleLogin.base(f) + "/api/v1/syncs/" + SYNC + "/run";
            Answer refused = olga.send(HttpRequest.newBuilder(URI.create(run)).POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().path("error").asText()).contains("X-XSRF-TOKEN");
            Answer forged = olga.send(HttpRequest.newBuilder(URI.create(run)).header("X-XSRF-TOKEN", "forged.1.x")
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(forged.status()).isEqualTo(403);
            // the token as a form field (what a page on another port of this host could send) is a form: refused
            Answer asForm = olga.send(HttpRequest.newBuilder(URI.create(run)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("X-XSRF-TOKEN=" + olga.csrf())));
            assertThat(asForm.status()).isEqualTo(415);
            // a request the browser marks as another site's, with the token even, or with Basic credentials the browser keeps
            Answer crossSite = olga.send(HttpRequest.newBuilder(URI.create(run)).header("X-XSRF-TOKEN", olga.csrf())
                    .header("Sec-Fetch-Site", "cross-site").POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(crossSite.status()).isEqualTo(403);
            HttpResponse<String> basicCrossSite = HTTP.send(HttpRequest.newBuilder(URI.create(run)).header("Sec-Fetch-Site", "same-site")
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("olga:olga-pass-1".getBytes()))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(basicCrossSite.statusCode()).isEqualTo(403);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_run")).isZero();
            // a 401 to a page's script asks for no Basic login (the browser would keep it and send it to every site's form)
            HttpResponse<String> script = HTTP.send(HttpRequest.newBuilder(URI.create(ConsoleLogin.base(f) + "/api/v1/me"))
                    .header("Sec-Fetch-Mode", "cors").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(script.statusCode()).isEqualTo(401);
            assertThat(script.headers().firstValue("WWW-Authenticate")).isEmpty();
            // with it, as the console's script sends it
            Answer ran = olga.post("/api/v1/syncs/" + SYNC + "/run", null);
            assertThat(ran.status()).as(ran.body()).isIn(200, 202);
            assertThat(ran.json().path("run").path("id").asLong()).isPositive();
            // each change renews the token: the next one sends the new one
            Answer job = olga.post("/api/v1/dead-letters/jobs", "{\"action\":\"replay\",\"ids\":[4711]}");
            assertThat(job.status()).as(job.body()).isEqualTo(202);
            // the audit says it was olga, logged in to the console
            var audit = olga.get("/api/v1/audit").json().path("items");
            assertThat(audit.get(0).path("actor").asText()).isEqualTo("olga");
            assertThat(audit.get(0).path("actorKind").asText()).isEqualTo("session");
            assertThat(audit).extracting(a -> a.path("action").asText()).containsSubsequence("run-now", "login");

            // the session cookie is HttpOnly and SameSite=Strict (the login's answer set it)
            Answer login = new ConsoleLogin(ConsoleLogin.base(f)).submitLogin("olga", "olga-pass-1");
            String cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("ferry_session=")).findFirst()
                    .orElseThrow();
            assertThat(cookie).containsIgnoringCase("HttpOnly").contains("SameSite=Strict").contains("Path=/").doesNotContainIgnoringCase("Secure");

            assertThat(f.count("SELECT COUNT(*) FROM ferry_audit WHERE action = 'login' AND actor = 'olga' AND actor_kind = 'session'"))
                    .isGreaterThanOrEqualTo(2);
            // logging out ends the session: its cookie is worth nothing after
            String session = olga.cookie("ferry_session");
            Answer out = olga.send(HttpRequest.newBuilder(URI.create(ConsoleLogin.base(f) + "/console/logout"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("X-XSRF-TOKEN=" + olga.csrf())));
            assertThat(out.status()).isEqualTo(303);
            HttpResponse<String> after = HTTP.send(HttpRequest.newBuilder(URI.create(ConsoleLogin.base(f) + "/api/v1/me"))
                    .header("Cookie", "ferry_session=" + session).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(after.statusCode()).isEqualTo(401);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_audit WHERE action = 'logout' AND actor = 'olga'")).isEqualTo(1);
        }
    }

    @Test
    void aSessionIdFromBeforeTheLoginIsNotTheOneAfterIt() throws Exception {
        try (FerryHarness f = ferry().start()) {
            ConsoleLogin c = new ConsoleLogin(ConsoleLogin.base(f));
            c.get("/console/login");
            String before = c.cookie("ferry_session");
            assertThat(c.submitLogin("olga", "olga-pass-1").status()).isEqualTo(303);
            assertThat(c.cookie("ferry_session")).isNotBlank().isNotEqualTo(before);
        }
    }

    @Test
    void aViewerReadsEverythingAndIsRefusedEveryChangeWithAnAuditRow() throws Exception {
        try (FerryHarness f = ferry().start()) {
            ConsoleLogin vic = ConsoleLogin.logIn(f, "vic", "vic-pass-1");
            assertThat(vic.get("/api/v1/syncs").status()).isEqualTo(200);
            Answer run = vic.post("/api/v1/syncs/" + SYNC + "/run", null);
            assertThat(run.status()).isEqualTo(403);
            assertThat(run.json().path("error").asText()).isEqualTo("POST /api/v1/syncs/" + SYNC + "/run needs the role operator; vic has viewer");
            Answer job = vic.post("/api/v1/dead-letters/jobs", "{\"action\":\"replay\",\"ids\":[1]}");
            assertThat(job.status()).isEqualTo(403);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_run")).isZero();
            assertThat(f.count("SELECT COUNT(*) FROM ferry_audit WHERE actor = 'vic' AND result = 'refused'")).isEqualTo(2);
        }
    }

    @Test
    void wrongPasswordsAreThrottledAndSaidSoWithoutTellingWhichNamesExist() throws Exception {
        try (FerryHarness f = ferry().with("ferry.management.login.delay-ms", "5000")
                .with("ferry.management.login.max-delay-ms", "10000").start()) {
            ConsoleLogin c = new ConsoleLogin(ConsoleLogin.base(f));
            Answer wrong = c.submitLogin("olga", "guess");
            assertThat(wrong.status()).isEqualTo(303);
            assertThat(wrong.headers().firstValue("Location").orElseThrow()).isEqualTo("/console/login?error=wrong");
            assertThat(c.get("/api/v1/me").status()).isEqualTo(401);
            // the audit keeps it, with the name when it is a user's, and never a name that is none
            assertThat(f.count("SELECT COUNT(*) FROM ferry_audit WHERE action = 'login-refused' AND actor = 'olga' AND result = 'refused'"))
                    .isEqualTo(1);
            c.submitLogin("my-Pa55word!", "x");
            assertThat(f.count("SELECT COUNT(*) FROM ferry_audit WHERE actor LIKE '%Pa55%'")).isZero();
            // at once again: held back for the delay, the password not even checked, the right one neither
            Answer held = c.submitLogin("olga", "olga-pass-1");
            assertThat(held.headers().firstValue("Location").orElseThrow()).startsWith("/console/login?error=throttled&wait=");
            assertThat(held.headers().firstValue("Retry-After")).isPresent();
            assertThat(c.get("/api/v1/me").status()).isEqualTo(401);
        }
    }

    @Test
    void withoutAnyUserNobodyLogsIn() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 10).start()) {
            ConsoleLogin c = new ConsoleLogin(ConsoleLogin.base(f));
            Answer a = c.submitLogin("admin", "admin");
            assertThat(a.headers().firstValue("Location")).hasValue("/console/login?error=no-users");
            assertThat(c.get("/api/v1/me").status()).isEqualTo(401);
            assertThat(get(ConsoleLogin.base(f) + "/console/").statusCode()).isEqualTo(303);
        }
    }

    @Test
    void theOldConsoleSettingsAreRefusedNamingWhatReplacedThem() {
        for (String gone : List.of("ferry.console.username", "ferry.console.password", "ferry.console.port")) {
            assertThatThrownBy(() -> new FerryHarness(Db.H2, 10).with(gone, "x1").start().close()).as(gone)
                    .hasStackTraceContaining(gone + " is no longer read").hasStackTraceContaining("ferry.users.<name>.password-hash");
        }
    }

    @Test
    void badFormsAndUnknownPagesAreAnsweredNotDropped() throws Exception {
        try (FerryHarness f = ferry().start()) {
            ConsoleLogin c = new ConsoleLogin(ConsoleLogin.base(f));
            c.get("/console/login");
            // a form without its CSRF field
            Answer noToken = c.send(HttpRequest.newBuilder(URI.create(ConsoleLogin.base(f) + "/console/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=olga&password=olga-pass-1")));
            assertThat(noToken.status()).isEqualTo(403);
            assertThat(noToken.body()).contains("reload the page");
            // a form too large
            Answer huge = c.send(HttpRequest.newBuilder(URI.create(ConsoleLogin.base(f) + "/console/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=" + "x".repeat(20_000))));
            assertThat(huge.status()).isEqualTo(413);
            assertThat(get(ConsoleLogin.base(f) + "/console/nothing-here").statusCode()).isEqualTo(303);
            assertThat(get(ConsoleLogin.base(f) + "/console/assets/../../application.properties").statusCode()).isIn(400, 403, 404);

            // the API's answers to the console's bad input: 400 with a message
            ConsoleLogin olga = ConsoleLogin.logIn(f, "olga", "olga-pass-1");
            assertThat(olga.get("/console/nothing-here").status()).isEqualTo(404);
            for (String path : List.of("/api/v1/runs/abc", "/api/v1/runs/99999999999999999999999", "/api/v1/runs?after=-1",
                    "/api/v1/dead-letters?limit=0", "/api/v1/syncs/" + SYNC + "/activity?hours=999", "/api/v1/dead-letters/jobs/x")) {
                Answer a = olga.get(path);
                assertThat(a.status()).as(path).isEqualTo(400);
                assertThat(a.json().path("error").asText()).as(path).isNotBlank();
            }
            Answer badJob = olga.post("/api/v1/dead-letters/jobs", "{\"action\":\"burn\",\"ids\":[1]}");
            assertThat(badJob.status()).isEqualTo(400);
            assertThat(badJob.json().path("error").asText()).contains("replay").contains("discard");
            Answer noReason = olga.post("/api/v1/dead-letters/jobs", "{\"action\":\"discard\",\"ids\":[1]}");
            assertThat(noReason.status()).isEqualTo(400);
            assertThat(noReason.json().path("error").asText()).contains("reason");
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
