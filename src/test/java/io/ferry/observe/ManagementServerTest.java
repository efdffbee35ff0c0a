package io.ferry.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * The management server listening beyond loopback (0.0.0.0, as in the container): nothing on it runs or changes
 * anything, with or without a login; the probes answer without one; metrics and the developer consoles answer as
 * documented.
 */
class ManagementServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PROBE_SQL = "sql:CREATE TABLE probe (a INT)?dataSource=#biDataSource";

    @TempDir
    Path dir;

    @Test
    void byDefaultOnlyHealthAndMetricsAnswerAndNothingCanBeSent() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 30).with("ferry.management.host", "0.0.0.0").start()) {
            String base = base(f);
            for (String endpoint : new String[] { PROBE_SQL, "file:" + dir + "?fileName=x.yaml", "direct:jst-shops-to-mysql" }) {
                String query = "?endpoint=" + URLEncoder.encode(endpoint, StandardCharsets.UTF_8) + "&body=x";
                assertThat(get(base + "/q/dev/send" + query, null).statusCode()).isEqualTo(404);
                assertThat(post(base + "/q/dev/send" + query, null).statusCode()).isEqualTo(404);
                assertThat(get(base + "/q/send" + query, null).statusCode()).isEqualTo(404);
            }
            for (String path : new String[] { "/q/dev", "/q/dev/route", "/q/upload", "/q/download", "/observe/jolokia",
                    "/observe/info" }) {
                assertThat(get(base + path, null).statusCode()).as(path).isEqualTo(404);
            }
            assertNothingHappened(f);

            HttpResponse<String> live = get(base + "/observe/health/live", null);
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.body()).contains("\"status\":\"UP\"");
            assertThat(get(base + "/observe/health/ready", null).statusCode()).isEqualTo(200);
            assertThat(get(base + "/observe/health", null).body()).contains("sync:jst-shops-to-mysql");
            // no login configured: metrics are open (read-only counts), as docs/observing.md says
            HttpResponse<String> metrics = get(base + "/observe/metrics", null);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("ferry_records_total").contains("jvm_memory_used_bytes")
                    .contains("process_cpu_usage");
        }
    }

    @Test
    void developerConsolesBeyondLoopbackWithoutALoginStopFerryFromStarting() {
        FerryHarness f = new FerryHarness(Db.H2, 10).with("ferry.management.host", "0.0.0.0")
                .with("ferry.management.dev-console-enabled", "true");
        try (f) {
            assertThatThrownBy(f::start).hasStackTraceContaining("needs a login")
                    .hasStackTraceContaining("ferry hash-password");
        }
    }

    @Test
    void withALoginTheConsolesOnlyReadAndHealthStaysOpen() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 30).with("ferry.management.host", "0.0.0.0")
                .with("ferry.management.dev-console-enabled", "true")
                .with("ferry.users.ops.password-hash", io.ferry.auth.Secrets.bcrypt("s3cret-for-test"))
                .with("ferry.users.ops.role", "viewer")
                // the wrong password below would hold the right one back for a second (ApiTest checks the throttle)
                .with("ferry.management.login.delay-ms", "0").with("ferry.management.login.max-delay-ms", "0").start()) {
            String base = base(f);
            String login = "Basic " + Base64.getEncoder().encodeToString("ops:s3cret-for-test".getBytes(StandardCharsets.UTF_8));
            String wrong = "Basic " + Base64.getEncoder().encodeToString("ops:guess".getBytes(StandardCharsets.UTF_8));

            assertThat(get(base + "/q/dev/route", null).statusCode()).isEqualTo(401);
            assertThat(get(base + "/q/dev/route", wrong).statusCode()).isEqualTo(401);
            HttpResponse<String> route = get(base + "/q/dev/route", login);
            assertThat(route.statusCode()).isEqualTo(200);
            assertThat(route.body()).contains("jst-shops-to-mysql");

            for (String endpoint : new String[] { PROBE_SQL, "file:" + dir + "?fileName=x.yaml", "direct:jst-shops-to-mysql" }) {
                String query = "?endpoint=" + URLEncoder.encode(endpoint, StandardCharsets.UTF_8) + "&body=x";
                assertThat(get(base + "/q/dev/send" + query, login).statusCode()).isEqualTo(404);
                // the consoles answer GET only: 405
                assertThat(post(base + "/q/dev/send" + query, login).statusCode()).isEqualTo(405);
            }
            // options that act (stop a route) are not passed on to a console
            get(base + "/q/dev/route?action=stop&filter=jst-shops-to-mysql", login);
            assertThat(f.app().camel().getRouteController().getRouteStatus("jst-shops-to-mysql").isStarted()).isTrue();
            assertNothingHappened(f);

            assertThat(get(base + "/observe/metrics", null).statusCode()).isEqualTo(401);
            assertThat(get(base + "/observe/metrics", login).body()).contains("ferry_records_total");
            assertThat(get(base + "/observe/health/live", null).statusCode()).isEqualTo(200);
            assertThat(get(base + "/observe/health/ready", null).statusCode()).isEqualTo(200);
        }
    }

    /** The plain password of older versions is refused, with what to do instead; so is a user given one. */
    @Test
    void aPlainPasswordStopsFerryFromStartingAndNamesHashPassword() {
        try (FerryHarness f = new FerryHarness(Db.H2, 10).with("ferry.management.username", "ops")
                .with("ferry.management.password", "s3cret-for-test")) {
            assertThatThrownBy(f::start).hasStackTraceContaining("ferry.management.password (FERRY_MANAGEMENT_PASSWORD) is a plain password")
                    .hasStackTraceContaining("ferry hash-password").hasStackTraceContaining("ferry.users.<name>.password-hash")
                    .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("s3cret-for-test"));
        }
        try (FerryHarness f = new FerryHarness(Db.H2, 10).with("ferry.users.ops.password", "s3cret-for-test")
                .with("ferry.users.ops.role", "viewer")) {
            assertThatThrownBy(f::start).hasStackTraceContaining("ferry.users.ops.password is a plain password")
                    .hasStackTraceContaining("ferry hash-password")
                    .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("s3cret-for-test"));
        }
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    private void assertNothingHappened(FerryHarness f) throws Exception {
        assertThat(f.count("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'probe'"))
                .isZero();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
        assertThat(f.count("SELECT COUNT(*) FROM ferry_run")).isZero();
    }

    private static String base(FerryHarness f) {
        ManagementServer server = f.app().camel().getRegistry().lookupByNameAndType(Observability.MANAGEMENT_BEAN,
                ManagementServer.class);
        return "http://127.0.0.1:" + server.port();
    }

    private static HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString("x"));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
