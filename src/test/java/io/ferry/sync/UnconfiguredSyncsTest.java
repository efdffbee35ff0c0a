package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.ferry.cli.StatusCommand;
import io.ferry.config.SettingProblem;
import io.ferry.config.SyncConfiguration;
import io.ferry.state.DeadLetterRepository.Stage;
import io.ferry.observe.Observability;
import io.ferry.kernel.ConfigurationException;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;
import io.ferry.support.TestDatabases;

/**
 * Ferry with the real route files and only Jushuitan's settings (and the databases): jst-shops-to-mysql runs,
 * and the two syncs whose vendors have no settings are reported not configured, with every missing setting and
 * its environment variable, by Ferry itself, the health check, {@code ferry status} and the console.
 */
class UnconfiguredSyncsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static final List<String> WDT_KINGDEE_MISSING = List.of(
            "camel.component.wangdiantong.sid (FERRY_WDT_SID) is not set",
            "camel.component.wangdiantong.app-key (FERRY_WDT_APP_KEY) is not set",
            "camel.component.wangdiantong.app-secret (FERRY_WDT_APP_SECRET) is not set",
            "camel.component.kingdee.base-url (FERRY_KINGDEE_BASE_URL) is not set",
            "camel.component.kingdee.acct-id (FERRY_KINGDEE_ACCT_ID) is not set",
            "camel.component.kingdee.username (FERRY_KINGDEE_USERNAME) is not set",
            "camel.component.kingdee.app-id (FERRY_KINGDEE_APP_ID) is not set",
            "camel.component.kingdee.app-secret (FERRY_KINGDEE_APP_SECRET) is not set");
    static final List<String> JELLYFISH_MISSING = List.of(
            "ferry.sync.jellyfish-a-to-b.pull-url (FERRY_JELLYFISH_PULL_URL) is not set",
            "ferry.sync.jellyfish-a-to-b.push-url (FERRY_JELLYFISH_PUSH_URL) is not set");

    /** The sandbox's Jushuitan settings only: Wangdiantong, Kingdee and JellyFish are left to application.properties. */
    static FerryHarness jushuitanOnly(Db db, int shops) {
        FerryHarness f = new FerryHarness(db, shops).withUser("op", "operator", "op-pass-123");
        for (String key : List.copyOf(f.sandbox().properties().keySet())) {
            if (!key.startsWith("camel.component.jushuitan.")) {
                f.without(key);
            }
        }
        return f;
    }

    @Test
    void onlyJushuitanConfiguredRunsItsSyncAndReportsTheOthersWithEveryMissingSetting() throws Exception {
        try (FerryHarness f = jushuitanOnly(Db.MARIADB, 120).start()) {
            f.sandbox().jushuitan().rateLimit(false);

            RunRecord run = f.runSync("jst-shops-to-mysql");
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.written()).isEqualTo(120);
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(120);

            SyncConfiguration configuration = f.app().syncConfiguration();
            assertThat(configuration.notConfigured()).containsOnlyKeys("jellyfish-a-to-b", "jsonapi-orders-to-mysql",
                    "kingdee-customers-to-mysql", "wdt-shops-to-kingdee-customers", "wdt-trades-to-mysql");
            assertThat(configuration.problems("kingdee-customers-to-mysql")).map(SettingProblem::toString)
                    .containsExactlyElementsOf(WDT_KINGDEE_MISSING.subList(3, WDT_KINGDEE_MISSING.size()));
            assertThat(configuration.problems("jsonapi-orders-to-mysql")).map(SettingProblem::toString)
                    .containsExactly("ferry.sync.jsonapi-orders-to-mysql.url (FERRY_JSONAPI_ORDERS_URL) is not set");
            assertThat(configuration.problems("wdt-shops-to-kingdee-customers")).map(SettingProblem::toString)
                    .containsExactlyElementsOf(WDT_KINGDEE_MISSING);
            assertThat(configuration.problems("jellyfish-a-to-b")).map(SettingProblem::toString)
                    .containsExactlyElementsOf(JELLYFISH_MISSING);
            assertThat(configuration.isConfigured("jst-shops-to-mysql")).isTrue();

            // their routes are not started, and asking one to run says why, all at once
            var routes = f.app().camel().getRouteController();
            assertThat(routes.getRouteStatus("jst-shops-to-mysql")).isEqualTo(ServiceStatus.Started);
            assertThat(routes.getRouteStatus("jst-shops-to-mysql-write")).isEqualTo(ServiceStatus.Started);
            for (String id : List.of("jellyfish-a-to-b", "jellyfish-a-to-b-write", "wdt-shops-to-kingdee-customers",
                    "wdt-shops-to-kingdee-customers-write")) {
                assertThat(routes.getRouteStatus(id)).as(id).isEqualTo(ServiceStatus.Stopped);
            }
            assertThatThrownBy(() -> f.runSync("jellyfish-a-to-b")).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining(JELLYFISH_MISSING.get(0)).hasMessageContaining(JELLYFISH_MISSING.get(1));
            assertThat(f.count("SELECT COUNT(*) FROM ferry_run WHERE sync_name <> 'jst-shops-to-mysql'")).isZero();

            // health: the check of each says so, UNKNOWN, and is left out of readiness: the process stays ready
            String base = "http://127.0.0.1:" + property(f, "ferry.management.port");
            HttpResponse<String> health = get(base + "/observe/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(health.body())
                    .containsPattern("\"name\":\\s*\"sync:wdt-shops-to-kingdee-customers\",\\s*\"status\":\\s*\"UNKNOWN\"")
                    .containsPattern("\"name\":\\s*\"sync:jellyfish-a-to-b\",\\s*\"status\":\\s*\"UNKNOWN\"")
                    .containsPattern("\"name\":\\s*\"sync:jst-shops-to-mysql\",\\s*\"status\":\\s*\"UP\"")
                    .contains("FERRY_KINGDEE_APP_SECRET").contains("FERRY_JELLYFISH_PUSH_URL");
            HttpResponse<String> ready = get(base + "/observe/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body()).contains("sync:jst-shops-to-mysql").doesNotContain("sync:jellyfish-a-to-b")
                    .doesNotContain("sync:wdt-shops-to-kingdee-customers");

            // ferry status, with the same configuration, without starting Ferry
            Map<String, String> props = new HashMap<>();
            for (String key : List.of("ferry.state.url", "ferry.state.username", "ferry.state.password")) {
                props.put(key, property(f, key));
            }
            f.sandbox().properties().forEach((k, v) -> {
                if (k.startsWith("camel.component.jushuitan.")) {
                    props.put(k, v);
                }
            });
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int rc = StatusCommand.status(List.of(), new PrintStream(buf, true, StandardCharsets.UTF_8), props);
            String status = buf.toString(StandardCharsets.UTF_8);
            assertThat(rc).isEqualTo(1);
            assertThat(line(status, "jst-shops-to-mysql")).contains("succeeded");
            assertThat(line(status, "jellyfish-a-to-b")).contains("not configured");
            assertThat(line(status, "wdt-shops-to-kingdee-customers")).contains("not configured");
            assertThat(status).contains(WDT_KINGDEE_MISSING).contains(JELLYFISH_MISSING);

            // the console's syncs page (what its script shows, from the API): each setting it misses
            io.ferry.support.ConsoleLogin console = io.ferry.support.ConsoleLogin.logIn(f, "op", "op-pass-123");
            JsonNode wdt = console.get("/api/v1/syncs/wdt-shops-to-kingdee-customers").json();
            assertThat(wdt.path("state").asText()).isEqualTo("not-configured");
            assertThat(wdt.path("notConfigured")).extracting(JsonNode::asText).containsExactlyElementsOf(WDT_KINGDEE_MISSING);
            assertThat(console.get("/api/v1/syncs/jst-shops-to-mysql").json().path("state").asText()).isEqualTo("succeeded");
        }
    }

    /** Run now (JMX, console), a replay of its dead letters, or its route started by hand: it refuses, saying why. */
    @Test
    void aSyncThatIsNotConfiguredRunsFromNoDoor() throws Exception {
        String sync = "wdt-shops-to-kingdee-customers";
        try (FerryHarness f = jushuitanOnly(Db.H2, 10).start()) {
            String why = "not configured: " + String.join("; ", WDT_KINGDEE_MISSING);

            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            assertThat((String) jmx.invoke(new ObjectName("io.ferry:type=sync,name=" + sync), "runNow", new Object[0], new String[0]))
                    .isEqualTo(sync + " is " + why);

            // the console's Run now (its script posts to the API with the login's CSRF token): refused, saying why
            io.ferry.support.ConsoleLogin.Answer posted = io.ferry.support.ConsoleLogin.logIn(f, "op", "op-pass-123")
                    .post("/api/v1/syncs/" + sync + "/run", null);
            assertThat(posted.status()).isEqualTo(409);
            assertThat(posted.json().path("error").asText()).isEqualTo(sync + " is " + why);

            long letter = f.state().deadLetters().add(sync, null, "shop-1", Stage.RECORD, "{}", "X", "earlier", 1);
            assertThatThrownBy(() -> f.app().deadLetters().replay(sync)).isInstanceOf(ConfigurationException.class)
                    .hasMessage(sync + " is " + why);
            assertThat(f.app().deadLetters().replay(null)).isZero();
            assertThat(f.state().deadLetters().find(letter).status()).isEqualTo("open");

            f.app().camel().getRouteController().startRoute(sync);
            Exchange done = f.app().camel().createProducerTemplate().send("direct:" + sync, ex -> {
            });
            assertThat(done.getException()).isInstanceOf(ConfigurationException.class).hasMessage(sync + " is " + why);

            assertThat(f.count("SELECT COUNT(*) FROM ferry_run")).isZero();
            assertThat(f.sandbox().wangdiantong().requests()).isZero();
        }
    }

    /**
     * {@code ferry sync} in its own JVM, configured by a file as in production: application.properties plus
     * Jushuitan's settings and the database. The configured sync runs; the other one is refused with its list;
     * start-up logs one line per sync that is not configured, and no stack trace.
     */
    @Test
    void theSyncCommandRunsTheConfiguredSyncAndRefusesAnUnconfiguredOneWithItsList() throws Exception {
        try (FerryHarness f = jushuitanOnly(Db.MARIADB, 50)) {
            f.sandbox().jushuitan().rateLimit(false);
            String url = TestDatabases.newMysqlDatabase();
            try {
                StringBuilder config = new StringBuilder(Files.readString(Path.of("application.properties"))).append('\n');
                Map<String, String> extra = new LinkedHashMap<>();
                f.sandbox().properties().forEach((k, v) -> {
                    if (k.startsWith("camel.component.jushuitan.")) {
                        extra.put(k, v);
                    }
                });
                extra.putAll(TestDatabases.mysqlSettings("ferry.state", url));
                extra.forEach((k, v) -> config.append(k).append(" = ").append(v).append('\n'));
                Path file = Files.createTempFile("ferry-jst-only", ".properties");
                Files.writeString(file, config);

                Cli jst = ferry(file, "sync", "jst-shops-to-mysql");
                assertThat(jst.rc()).as(jst.output()).isZero();
                assertThat(line(jst.output(), "jst-shops-to-mysql")).contains("succeeded");
                assertThat(jst.output().lines().filter(l -> l.contains("jellyfish-a-to-b: not configured: "))).hasSize(1)
                        .allMatch(l -> l.contains(JELLYFISH_MISSING.get(0)) && l.contains(JELLYFISH_MISSING.get(1)));
                assertThat(jst.output().lines().filter(l -> l.contains("wdt-shops-to-kingdee-customers: not configured: ")))
                        .hasSize(1).allMatch(l -> WDT_KINGDEE_MISSING.stream().allMatch(l::contains));
                assertThat(jst.output()).doesNotContain("Exception").doesNotContainPattern("(?m)^\\s+at ");

                Cli jellyfish = ferry(file, "sync", "jellyfish-a-to-b");
                assertThat(jellyfish.rc()).as(jellyfish.output()).isEqualTo(1);
                assertThat(line(jellyfish.output(), "jellyfish-a-to-b")).contains("not configured");
                assertThat(jellyfish.output().lines().map(String::strip)).containsAll(JELLYFISH_MISSING);
                assertThat(jellyfish.output()).doesNotContain("Exception").doesNotContainPattern("(?m)^\\s+at ");
            } finally {
                TestDatabases.dropMysqlDatabase(url);
            }
        }
    }

    record Cli(int rc, String output) {
    }

    private static Cli ferry(Path config, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.ferry.FerryMain"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("FERRY_CONFIG", config.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Cli(p.exitValue(), out);
    }

    /** As {@code ferry run} starts: the schedules of the syncs that are not configured do not start, the others do. */
    @Test
    void withSchedulesOnOnlyTheConfiguredSyncsAreScheduled() throws Exception {
        try (FerryHarness f = jushuitanOnly(Db.H2, 10).with("ferry.schedules.enabled", "true")
                .with("ferry.sync.jst-shops-to-mysql.cron", "0 0 0 1 1 ? 2099").start()) {
            var routes = f.app().camel().getRouteController();
            assertThat(routes.getRouteStatus("jst-shops-to-mysql-schedule")).isEqualTo(ServiceStatus.Started);
            assertThat(routes.getRouteStatus("jellyfish-a-to-b-schedule")).isEqualTo(ServiceStatus.Stopped);
            assertThat(routes.getRouteStatus("wdt-shops-to-kingdee-customers-schedule")).isEqualTo(ServiceStatus.Stopped);
            HttpResponse<String> ready = get("http://127.0.0.1:" + property(f, "ferry.management.port") + "/observe/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        }
    }

    @Test
    void everySyncIsConfiguredInTheSandbox() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 10).start()) {
            assertThat(f.app().syncConfiguration().syncs())
                    .containsExactlyInAnyOrder("jellyfish-a-to-b", "jsonapi-orders-to-mysql", "jst-orders-to-mysql",
                            "jst-shops-to-mysql", "kingdee-customers-to-mysql", "wdt-shops-to-kingdee-customers", "wdt-trades-to-mysql");
            assertThat(f.app().syncConfiguration().notConfigured()).isEmpty();
            HttpResponse<String> ready = get("http://127.0.0.1:" + property(f, "ferry.management.port") + "/observe/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(f.app().camel().getRouteController().getRouteStatus("wdt-shops-to-kingdee-customers-write"))
                    .isEqualTo(ServiceStatus.Started);
        }
    }

    private static String property(FerryHarness f, String key) {
        return f.app().camel().getPropertiesComponent().resolveProperty(key).orElse("");
    }

    private static String line(String text, String sync) {
        return text.lines().filter(l -> l.startsWith(sync + " ")).findFirst().orElseThrow(() -> new AssertionError(sync + " not in\n" + text));
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
