package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.ferry.support.ChildFerry;
import io.ferry.support.ChildFerry.Result;
import io.ferry.support.TestDatabases;

/**
 * {@code ferry validate}, run as a user runs it (a JVM of its own in a copy of routes/ and application.properties):
 * the shipped routes pass with a configured deployment's settings, an unconfigured one is told every missing setting,
 * each kind of broken route file gives exactly its line (all at once, exit 1), and validating opens no database,
 * port or vendor connection.
 */
public class ValidateCommandTest {

    /** What a configured deployment sets: every credential and URL the shipped syncs need, in the form each takes. */
    public static final Map<String, String> CONFIGURED = Map.ofEntries(
            Map.entry("FERRY_JUSHUITAN_APP_KEY", "app-key"),
            Map.entry("FERRY_JUSHUITAN_APP_SECRET", "app-secret"),
            Map.entry("FERRY_JUSHUITAN_ACCESS_TOKEN", "access-token"),
            Map.entry("FERRY_WDT_SID", "sid"),
            Map.entry("FERRY_WDT_APP_KEY", "app-key"),
            Map.entry("FERRY_WDT_APP_SECRET", "secret:salt"),
            Map.entry("FERRY_KINGDEE_BASE_URL", "https://erp.example.com/K3Cloud/"),
            Map.entry("FERRY_KINGDEE_ACCT_ID", "acct"),
            Map.entry("FERRY_KINGDEE_USERNAME", "user"),
            Map.entry("FERRY_KINGDEE_APP_ID", "app-id"),
            Map.entry("FERRY_KINGDEE_APP_SECRET", "app-secret"),
            Map.entry("FERRY_JSONAPI_ORDERS_URL", "https://api.example.com/orders"),
            Map.entry("FERRY_JELLYFISH_PULL_URL", "https://a.example.com/pull"),
            Map.entry("FERRY_JELLYFISH_PUSH_URL", "https://b.example.com/push"));

    private static ChildFerry configured() {
        ChildFerry ferry = new ChildFerry();
        CONFIGURED.forEach(ferry::env);
        return ferry;
    }

    @Test
    void theShippedRoutesPassWithAConfiguredDeploymentsSettings() throws Exception {
        ChildFerry ferry = configured();
        Result r = ferry.run(120, "validate");
        assertThat(r.out()).isEqualTo("7 syncs, no problems\n");
        assertThat(r.rc()).isZero();
        assertThat(r.err()).doesNotContain("\tat ");
        Result one = ferry.run(120, "validate", "jst-orders-to-mysql");
        assertThat(one.out()).isEqualTo("1 sync, no problems\n");
        assertThat(one.rc()).isZero();
    }

    /** Without any setting: every sync's missing settings, each with its environment variable, all at once. */
    @Test
    void anUnconfiguredDeploymentIsToldEveryMissingSetting() throws Exception {
        Result r = new ChildFerry().run(120, "validate");
        assertThat(r.out()).isEqualTo("""
                jellyfish-a-to-b: ferry.sync.jellyfish-a-to-b.pull-url (FERRY_JELLYFISH_PULL_URL) is not set
                jellyfish-a-to-b: ferry.sync.jellyfish-a-to-b.push-url (FERRY_JELLYFISH_PUSH_URL) is not set
                jsonapi-orders-to-mysql: ferry.sync.jsonapi-orders-to-mysql.url (FERRY_JSONAPI_ORDERS_URL) is not set
                jst-orders-to-mysql: camel.component.jushuitan.access-token (FERRY_JUSHUITAN_ACCESS_TOKEN) is not set
                jst-orders-to-mysql: camel.component.jushuitan.app-key (FERRY_JUSHUITAN_APP_KEY) is not set
                jst-orders-to-mysql: camel.component.jushuitan.app-secret (FERRY_JUSHUITAN_APP_SECRET) is not set
                jst-shops-to-mysql: camel.component.jushuitan.access-token (FERRY_JUSHUITAN_ACCESS_TOKEN) is not set
                jst-shops-to-mysql: camel.component.jushuitan.app-key (FERRY_JUSHUITAN_APP_KEY) is not set
                jst-shops-to-mysql: camel.component.jushuitan.app-secret (FERRY_JUSHUITAN_APP_SECRET) is not set
                kingdee-customers-to-mysql: camel.component.kingdee.acct-id (FERRY_KINGDEE_ACCT_ID) is not set
                kingdee-customers-to-mysql: camel.component.kingdee.app-id (FERRY_KINGDEE_APP_ID) is not set
                kingdee-customers-to-mysql: camel.component.kingdee.app-secret (FERRY_KINGDEE_APP_SECRET) is not set
                kingdee-customers-to-mysql: camel.component.kingdee.base-url (FERRY_KINGDEE_BASE_URL) is not set
                kingdee-customers-to-mysql: camel.component.kingdee.username (FERRY_KINGDEE_USERNAME) is not set
                wdt-shops-to-kingdee-customers: camel.component.kingdee.acct-id (FERRY_KINGDEE_ACCT_ID) is not set
                wdt-shops-to-kingdee-customers: camel.component.kingdee.app-id (FERRY_KINGDEE_APP_ID) is not set
                wdt-shops-to-kingdee-customers: camel.component.kingdee.app-secret (FERRY_KINGDEE_APP_SECRET) is not set
                wdt-shops-to-kingdee-customers: camel.component.kingdee.base-url (FERRY_KINGDEE_BASE_URL) is not set
                wdt-shops-to-kingdee-customers: camel.component.kingdee.username (FERRY_KINGDEE_USERNAME) is not set
                wdt-shops-to-kingdee-customers: camel.component.wangdiantong.app-key (FERRY_WDT_APP_KEY) is not set
                wdt-shops-to-kingdee-customers: camel.component.wangdiantong.app-secret (FERRY_WDT_APP_SECRET) is not set
                wdt-shops-to-kingdee-customers: camel.component.wangdiantong.sid (FERRY_WDT_SID) is not set
                wdt-trades-to-mysql: camel.component.wangdiantong.app-key (FERRY_WDT_APP_KEY) is not set
                wdt-trades-to-mysql: camel.component.wangdiantong.app-secret (FERRY_WDT_APP_SECRET) is not set
                wdt-trades-to-mysql: camel.component.wangdiantong.sid (FERRY_WDT_SID) is not set
                25 problems in 7 of 7 syncs
                """);
        assertThat(r.rc()).isEqualTo(1);
    }

    /** A setting that is there but not usable is a problem too, said as Ferry says it at start-up. */
    @Test
    void aSettingInTheWrongFormIsAProblem() throws Exception {
        Result r = configured().env("FERRY_WDT_APP_SECRET", "no-salt").run(120, "validate", "wdt-trades-to-mysql");
        assertThat(r.out()).isEqualTo("""
                wdt-trades-to-mysql: camel.component.wangdiantong.app-secret (FERRY_WDT_APP_SECRET) must be given as secret:salt, as Wangdiantong delivers it
                1 problem in 1 of 1 sync
                """);
        assertThat(r.rc()).isEqualTo(1);
    }

    /**
     * One broken copy per kind of mistake (src/test/resources/routes-invalid, each file says what is wrong in it),
     * beside the template: every one is reported on its line, none hides another, and the exit code is 1.
     */
    @Test
    void everyKindOfMistakeIsReportedOnItsLineAllAtOnce() throws Exception {
        ChildFerry ferry = brokenCopies();
        Result r = ferry.run(120, "validate");
        assertThat(r.out()).isEqualTo("""
                routes/bad-cron.yaml:8: invalid-cron: the schedule 'every hour' is not a Quartz cron: Illegal characters for this position: 'EVE'
                routes/mappings/broken.jsonata:4:6: invalid-jsonata: JSONata syntax error: Expected ")", got ":"
                routes/missing-mapping.yaml:10: invalid-mapping-file: the mapping file routes/mappings/no-such-mapping.jsonata does not exist (relative to %1$s)
                routes/missing-parameter.yaml:2: invalid-no-key: the parameter 'key' of ferry-sync is required
                routes/undefined-property.yaml:9: invalid-property: the property ferry.sync.invalid-property.page-size is not set
                routes/unknown-component.yaml:9: invalid-component: unknown component 'jushuitann' in jushuitann:/open/shops/query (no Camel component of Ferry's has that scheme)
                routes/unknown-ferry-step.yaml:8: invalid-ferry-step: unknown Ferry step 'strat' in ferry://strat (expected start, dedup, map, aggregate or finish)
                routes/unknown-option.yaml:9: invalid-option: unknown option 'keyy' of jushuitan:/open/shops/query
                routes/unknown-parameter.yaml:12: invalid-parameter: 'batchsize' is not a parameter of ferry-sync (its parameters: sync, key, source, mapping, sink, batchSize, concurrency, markEvery, cron, maxPages, offsetField, updateChanged, window, windowStart, windowSize, lookback, lag, reconcileTarget, reconcileKey, reconcileFields, reconcileZone)
                routes/unknown-sink-option.yaml:11: invalid-sink: unknown option 'levle' of log:validate
                routes/unknown-step.yaml:7:11: Unknown node id: too
                routes/window-too-large.yaml:14: invalid-window-size: windowSize P30D is larger than jushuitan:/open/orders/single/query allows (P7D)
                routes/window-unparsable.yaml:14: invalid-window-text: windowSize must be an ISO-8601 duration such as P7D, PT60M or PT30S, got '7 days'
                routes/yaml-syntax.yaml:8:1: YAML syntax: while scanning a quoted scalar at 6:30: found unexpected end of stream
                invalid-setting: ferry.sync.jsonapi-orders-to-mysql.url (FERRY_JSONAPI_ORDERS_URL) is not set
                15 problems in 13 of 13 syncs (2 in no sync)
                """.formatted(ferry.dir()));
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("\tat ");
    }

    /** Named syncs: only their problems (and those of files that belong to no sync); a name no sync has is one. */
    @Test
    void namedSyncsOnlyAndANameThatIsNoSync() throws Exception {
        ChildFerry ferry = brokenCopies();
        Result r = ferry.run(120, "validate", "invalid-option", "no-such-sync");
        assertThat(r.out()).isEqualTo("""
                routes/unknown-option.yaml:9: invalid-option: unknown option 'keyy' of jushuitan:/open/shops/query
                routes/unknown-step.yaml:7:11: Unknown node id: too
                routes/yaml-syntax.yaml:8:1: YAML syntax: while scanning a quoted scalar at 6:30: found unexpected end of stream
                no-such-sync: no sync has this name; known: invalid-component, invalid-cron, invalid-ferry-step, invalid-jsonata, invalid-mapping-file, invalid-no-key, invalid-option, invalid-parameter, invalid-property, invalid-setting, invalid-sink, invalid-window-size, invalid-window-text
                4 problems in 1 of 1 sync (3 in no sync)
                """);
        assertThat(r.rc()).isEqualTo(1);

        Result json = ferry.run(120, "validate", "--format", "json", "invalid-option");
        assertThat(json.rc()).isEqualTo(1);
        assertThat(json.out()).contains("\"file\" : \"routes/unknown-option.yaml\"", "\"line\" : 9", "\"sync\" : \"invalid-option\"",
                "\"message\" : \"unknown option 'keyy' of jushuitan:/open/shops/query\"", "\"summary\" : \"3 problems in 1 of 1 sync (2 in no sync)\"");
    }

    /** No route file at all is not a list of problems but a configuration that cannot be read: exit 2. */
    /** A sync's reconcile parameters are checked like its steps: the target's endpoint and options, the zone. */
    @Test
    void aReconcileTargetThatIsNoEndpointAndAZoneThatIsNoneAreProblems() throws Exception {
        ChildFerry ferry = configured();
        String shops = Files.readString(ferry.dir().resolve("routes/jst-shops-to-mysql.yaml"))
                .replace("jst-shops-to-mysql }", "bad-reconcile }").replace("routeId: jst-shops-to-mysql", "routeId: bad-reconcile")
                .replace("group_name FROM bi_shop?dataSource=#biDataSource", "group_name FROM bi_shop?dataSourcee=#biDataSource")
                .replace("      - name: reconcileTarget", "      - { name: cron, value: \"0 0 * * * ?\" }\n"
                        + "      - { name: reconcileZone, value: Mars/Olympus }\n      - name: reconcileTarget");
        Files.writeString(ferry.dir().resolve("routes/bad-reconcile.yaml"), shops);
        Result r = ferry.run(120, "validate", "bad-reconcile", "jst-shops-to-mysql");
        assertThat(r.out()).isEqualTo("""
                routes/bad-reconcile.yaml:16: bad-reconcile: reconcileZone 'Mars/Olympus' is not a time zone (e.g. Asia/Shanghai)
                routes/bad-reconcile.yaml:17: bad-reconcile: Property 'dataSource' is required
                2 problems in 1 of 2 syncs
                """);
        assertThat(r.rc()).isEqualTo(1);

        // a reconcile schedule that is no cron, on a sync whose target cannot be read back
        Files.writeString(ferry.dir().resolve("application.properties"), "\nferry.sync.jellyfish-a-to-b.reconcile.cron = every day\n",
                java.nio.file.StandardOpenOption.APPEND);
        Result jellyfish = ferry.run(120, "validate", "jellyfish-a-to-b");
        assertThat(jellyfish.out()).contains("jellyfish-a-to-b: the reconcile schedule 'every day' (ferry.sync.jellyfish-a-to-b.reconcile.cron)"
                + " is not a Quartz cron", "jellyfish-a-to-b: ferry.sync.jellyfish-a-to-b.reconcile.cron is set, but the sync declares no "
                + "reconcileTarget", "2 problems in 1 of 1 sync");
        assertThat(jellyfish.rc()).isEqualTo(1);
    }

    @Test
    void noRouteFilesIsExit2() throws Exception {
        ChildFerry ferry = new ChildFerry();
        try (Stream<Path> files = Files.list(ferry.dir().resolve("routes"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.toString().endsWith(".yaml")) {
                    Files.delete(f);
                }
            }
        }
        Result r = ferry.run(120, "validate");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("ferry validate: no route file matches file:routes/*.yaml,file:routes/*.xml");
        assertThat(r.out()).isEmpty();
    }

    /**
     * Validating writes nothing and calls no one: the state and BI database (an empty MariaDB database) still has no
     * table, no H2 file appears under ./data, and the vendors' URLs (a socket this test listens on) see no connection.
     */
    @Test
    void validatingWritesNothingAndCallsNoVendor() throws Exception {
        String db = TestDatabases.newMysqlDatabase();
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket vendor = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread accept = new Thread(() -> {
                while (!vendor.isClosed()) {
                    try (Socket s = vendor.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            accept.setDaemon(true);
            accept.start();
            String url = "http://127.0.0.1:" + vendor.getLocalPort() + "/";
            ChildFerry ferry = configured().env("FERRY_STATE_URL", db).env("FERRY_BI_URL", db)
                    .env("FERRY_JUSHUITAN_BASE_URL", url).env("FERRY_WDT_BASE_URL", url).env("FERRY_KINGDEE_BASE_URL", url)
                    .env("FERRY_JSONAPI_ORDERS_URL", url).env("FERRY_JELLYFISH_PULL_URL", url).env("FERRY_JELLYFISH_PUSH_URL", url);
            Result r = ferry.run(120, "validate");
            assertThat(r.out()).isEqualTo("7 syncs, no problems\n");
            assertThat(r.rc()).isZero();
            assertThat(tables(db)).isZero();
            assertThat(connections.get()).isZero();
        } finally {
            TestDatabases.dropMysqlDatabase(db);
        }
        ChildFerry defaults = configured();
        assertThat(defaults.run(120, "validate").rc()).isZero();
        assertThat(defaults.dir().resolve("data")).doesNotExist();
    }

    /**
     * No server socket is opened, even with the management server and the console switched on: this process's
     * listening sockets are watched while validate runs in it (Linux's /proc).
     */
    @Test
    void validatingOpensNoPort() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux's /proc");
        Set<String> idle = listeningSockets();
        try (ServerSocket control = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Set<String> opened = listeningSockets();
            opened.removeAll(idle);
            assertThat(opened).as("the watch sees a server socket this process opens").hasSize(1);
        }
        Set<String> before = listeningSockets();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicBoolean done = new AtomicBoolean();
        Thread watch = new Thread(() -> {
            while (!done.get()) {
                try {
                    seen.addAll(listeningSockets());
                } catch (IOException e) {
                    // a descriptor closed while it was read: the next round reads again
                }
            }
        });
        watch.start();
        Map<String, String> on = new LinkedHashMap<>();
        on.put("ferry.management.enabled", "true");
        on.put("ferry.console.enabled", "true");
        on.put("ferry.schedules.enabled", "true");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc;
        try {
            rc = ValidateCommand.validate(on, List.of(), ValidateCommand.Format.text, new PrintStream(out, true, StandardCharsets.UTF_8));
        } finally {
            done.set(true);
            watch.join();
        }
        // the shipped routes, with this JVM's settings: whatever it reports, it ran to its summary
        assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("(?m)^\\d+ (problems?|syncs?)");
        assertThat(rc).isIn(0, 1);
        seen.removeAll(before);
        assertThat(seen).as("server sockets opened while validating").isEmpty();
    }

    /** The broken copies beside the template and the route configuration (the shipped syncs left out). */
    private static ChildFerry brokenCopies() throws IOException {
        ChildFerry ferry = configured();
        ferry.env("FERRY_JSONAPI_ORDERS_URL", "");
        Path routes = ferry.dir().resolve("routes");
        try (Stream<Path> files = Files.list(routes)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".yaml") && !name.equals("ferry-templates.yaml") && !name.equals("ferry-sync.yaml")) {
                    Files.delete(f);
                }
            }
        }
        Path broken = Path.of("src/test/resources/routes-invalid");
        try (Stream<Path> files = Files.list(broken)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.toString().endsWith(".yaml")) {
                    Files.copy(f, routes.resolve(f.getFileName()));
                }
            }
        }
        Files.copy(broken.resolve("mappings/broken.jsonata"), routes.resolve("mappings/broken.jsonata"));
        return ferry;
    }

    private static int tables(String url) throws Exception {
        String name = url.substring(TestDatabases.MYSQL_SERVER.length(), url.indexOf('?'));
        try (Connection c = DriverManager.getConnection(TestDatabases.MYSQL_SERVER, TestDatabases.MYSQL_USER, TestDatabases.MYSQL_PASSWORD);
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '" + name + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The socket inodes this process listens on (TCP, v4 and v6). */
    private static Set<String> listeningSockets() throws IOException {
        Set<String> listening = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
                String[] f = line.strip().split("\\s+");
                if (f.length > 9 && f[3].equals("0A")) {
                    listening.add(f[9]);
                }
            }
        }
        Set<String> mine = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed meanwhile
                }
                if (target.startsWith("socket:[") && listening.contains(target.substring(8, target.length() - 1))) {
                    mine.add(target);
                }
            }
        }
        return mine;
    }
}
