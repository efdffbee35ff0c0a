package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

import io.ferry.support.FerryHarness;

/**
 * {@code ferry sandbox --keep-running}: the schedules fire and record runs, and the printed console, health,
 * metrics and simulator URLs answer, until it is told to stop.
 */
class SandboxKeepRunningTest {

    @Test
    void schedulesFireAndThePrintedUrlsAnswerUntilStopped() throws Exception {
        String url = "jdbc:h2:file:./target/sandbox-" + UUID.randomUUID().toString().substring(0, 8)
                + "/sandbox;MODE=MySQL;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE";
        // tests run side by side: no fixed port
        Map<String, String> ports = Map.of("ferry.management.port", String.valueOf(FerryHarness.freePort()));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        CountDownLatch stop = new CountDownLatch(1);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> sandbox = thread.submit(() -> SandboxCommand.keepRunning(10, url, 2, ports, out, stop));

            String printed = waitFor(() -> buf.toString(StandardCharsets.UTF_8), s -> s.contains("Stop with Ctrl-C."), sandbox);
            assertThat(printed.lines().findFirst().orElseThrow()).startsWith("sandbox: state in ./target/sandbox-");
            // the console asks for a login, and the one printed (for this sandbox only) opens it and the metrics
            assertThat(get(url(printed, "console"))).isEqualTo(303);
            Matcher login = Pattern.compile("\\(user (\\S+), password (\\S+), for this sandbox only\\)").matcher(printed);
            assertThat(login.find()).as(printed).isTrue();
            String console = url(printed, "console");
            io.ferry.support.ConsoleLogin browser = new io.ferry.support.ConsoleLogin(console.substring(0, console.indexOf("/console/")));
            assertThat(browser.submitLogin(login.group(1), login.group(2)).headers().firstValue("Location")).hasValue("/console/");
            assertThat(browser.get("/api/v1/me").json().path("role").asText()).isEqualTo("admin");
            assertThat(get(url(printed, "health"))).isIn(200, 503); // 503 until every sync has a successful run
            assertThat(get(url(printed, "metrics"))).isEqualTo(401);
            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url(printed, "metrics"))).header("Authorization",
                    "Basic " + java.util.Base64.getEncoder().encodeToString((login.group(1) + ":" + login.group(2))
                            .getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            assertThat(get(url(printed, "jushuitan"))).isPositive();
            assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(
                    new ObjectName("io.ferry:type=sync,name=jst-shops-to-mysql"))).isTrue();

            // every 2 s: each schedule fires on its own and records a run
            waitFor(() -> String.valueOf(succeededSyncs(url)), n -> n.equals("7"), sandbox);
            assertThat(get(url(printed, "health"))).isEqualTo(200);

            stop.countDown();
            assertThat(sandbox.get(60, TimeUnit.SECONDS)).isZero();
            assertThat(get(url(printed, "console"))).isEqualTo(-1); // stopped: nothing listens any more
        } finally {
            stop.countDown();
            thread.shutdownNow();
        }
    }

    private static String url(String printed, String name) {
        Matcher m = Pattern.compile("(?m)^  " + name + "\\s+(http://\\S+)").matcher(printed);
        assertThat(m.find()).as(name + " in:\n" + printed).isTrue();
        return m.group(1);
    }

    /** The HTTP status, or -1 when nothing answers. */
    private static int get(String url) {
        try {
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()
                    .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** How many syncs have a succeeded run, read beside the sandbox (the URL has AUTO_SERVER). */
    private static long succeededSyncs(String url) {
        try (Connection c = DriverManager.getConnection(url + ";IFEXISTS=TRUE", "sa", ""); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(DISTINCT sync_name) FROM ferry_run WHERE status = 'succeeded'")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return 0;
        }
    }

    interface Probe {
        String get() throws Exception;
    }

    private static String waitFor(Probe probe, java.util.function.Predicate<String> done, Future<Integer> sandbox) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            String v = probe.get();
            if (done.test(v)) {
                return v;
            }
            if (sandbox.isDone()) {
                sandbox.get(); // throws what stopped it
                throw new AssertionError("the sandbox stopped by itself");
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within 90 s; last: " + probe.get());
    }
}
