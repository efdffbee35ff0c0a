package io.ferry.cli;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.spi.PropertiesComponent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import io.ferry.kernel.Records;
import io.ferry.FerryApp;
import io.ferry.FerryMain;
import io.ferry.observe.ManagementServer;
import io.ferry.observe.Observability;
import io.ferry.sandbox.Sandbox;
import io.ferry.sandbox.SimulatorServer;
import io.ferry.state.Databases;

/**
 * {@code ferry sandbox}: starts the vendor simulators, points Ferry at them and runs every sync once; with
 * {@code --keep-running}, Ferry runs as it does in production (schedules, console, management server, JMX) until
 * stopped. Its state and BI table are in a database of its own, never the configured state database.
 */
@Command(name = "sandbox", description = "Start the vendor simulators on 127.0.0.1 and run every sync once against them; "
        + "prints what each run did. State and the BI table are kept in ./data/sandbox, apart from the configured "
        + "state database.")
public class SandboxCommand implements Callable<Integer> {

    /** The sandbox's own state database: an H2 file beside the default one, never the default itself. */
    public static final String STATE_URL = "jdbc:h2:file:./data/sandbox;MODE=MySQL;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE";

    /** The syncs Ferry ships, whose schedules a keep-running sandbox makes frequent. */
    private static final List<String> SHIPPED_SYNCS = List.of("jellyfish-a-to-b", "jsonapi-orders-to-mysql", "jst-orders-to-mysql",
            "jst-shops-to-mysql", "kingdee-customers-to-mysql", "wdt-shops-to-kingdee-customers", "wdt-trades-to-mysql");

    private final PrintStream out;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--shops", paramLabel = "N", defaultValue = "1000", description = "Records each simulated source serves (default: ${DEFAULT-VALUE}).")
    int shops;

    @Option(names = "--state-url", paramLabel = "URL", defaultValue = STATE_URL,
            description = "The sandbox's state database (default: an H2 file database under ./data/sandbox).")
    String stateUrl;

    @Option(names = "--keep-running", description = "Keep Ferry running on its schedules, with the console, health, metrics "
            + "and JMX, until Ctrl-C; prints their URLs.")
    boolean keepRunning;

    @Option(names = "--every", paramLabel = "SECONDS", defaultValue = "30",
            description = "With --keep-running: each sync's schedule fires every SECONDS seconds, 1 to 59 (default: ${DEFAULT-VALUE}).")
    int every;

    public SandboxCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        if (shops < 1) {
            throw new ParameterException(spec.commandLine(), "--shops must be at least 1");
        }
        if (every < 1 || every > 59) {
            throw new ParameterException(spec.commandLine(), "--every must be between 1 and 59 seconds");
        }
        if (!keepRunning) {
            return runOnce(shops, stateUrl, Map.of(), out);
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(60, TimeUnit.SECONDS); // the JVM waits while Ferry and the simulators stop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ferry-sandbox-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return keepRunning(shops, stateUrl, every, Map.of(), out, stop);
        } finally {
            stopped.countDown();
        }
    }

    /** Every sync once against the simulators; the table as {@code ferry sync} prints it. */
    public static int runOnce(int shops, String stateUrl, Map<String, String> properties, PrintStream out) throws Exception {
        try (Sandbox sandbox = new Sandbox(shops).seedKingdeeCustomers()) {
            out.printf("sandbox: state in %s; %d shops per source; simulators: %s%n", Databases.where(stateUrl), shops, simulators(sandbox));
            return SyncCommand.runOnce(properties(sandbox, stateUrl, properties), List.of(), out);
        }
    }

    /**
     * Ferry on its schedules against the simulators, with the console, the management server and JMX, until
     * {@code stop} counts down; prints where to look first.
     */
    public static int keepRunning(int shops, String stateUrl, int everySeconds, Map<String, String> properties, PrintStream out,
            CountDownLatch stop) throws Exception {
        try (Sandbox sandbox = new Sandbox(shops).seedKingdeeCustomers()) {
            out.printf("sandbox: state in %s; %d shops per source; simulators: %s%n", Databases.where(stateUrl), shops, simulators(sandbox));
            Map<String, String> p = new HashMap<>(properties(sandbox, stateUrl, properties));
            p.put("ferry.schedules.enabled", "true");
            for (String sync : SHIPPED_SYNCS) {
                p.putIfAbsent("ferry.sync." + sync + ".cron", "0/" + everySeconds + " * * * * ?");
            }
            // a console login for this sandbox only, unless the caller brought users: a password of its own, printed once
            String password = null;
            if (p.keySet().stream().noneMatch(k -> k.startsWith(io.ferry.auth.Accounts.USERS))) {
                String random = io.ferry.auth.Secrets.newToken();
                password = random.substring(random.length() - 20);
                p.put(io.ferry.auth.Accounts.USERS + SANDBOX_USER + ".password-hash", io.ferry.auth.Secrets.bcrypt(password));
                p.put(io.ferry.auth.Accounts.USERS + SANDBOX_USER + ".role", "admin");
            }
            try (FerryApp app = new FerryApp(p).start()) {
                printWhereToLook(app, sandbox, everySeconds, password, out);
                stop.await();
            }
        }
        return FerryMain.OK;
    }

    /** The simulators' endpoints, and a state and BI database of the sandbox's own, without alerts to real people. */
    private static Map<String, String> properties(Sandbox sandbox, String stateUrl, Map<String, String> properties) {
        Map<String, String> p = new HashMap<>(sandbox.properties());
        p.put("ferry.state.url", stateUrl);
        if (stateUrl.equals(STATE_URL)) {
            p.put("ferry.state.username", "sa");
            p.put("ferry.state.password", "");
        }
        p.put("ferry.bi.url", ""); // bi_shop in the sandbox's state database
        p.put("ferry.alerts.dingtalk.url", "");
        p.put("ferry.alerts.webhook.url", "");
        p.putAll(properties);
        return p;
    }

    /** the console's user in a sandbox that brings none */
    static final String SANDBOX_USER = "sandbox";

    private static void printWhereToLook(FerryApp app, Sandbox sandbox, int everySeconds, String password, PrintStream out) {
        PropertiesComponent props = app.camel().getPropertiesComponent();
        ManagementServer server = app.camel().getRegistry().lookupByNameAndType(Observability.MANAGEMENT_BEAN, ManagementServer.class);
        String management = server == null ? "off (ferry.management.enabled)"
                : "http://" + props.resolveProperty("ferry.management.host").orElse("127.0.0.1") + ":" + server.port();
        boolean console = server != null && app.camel().getRegistry().lookupByName(Observability.RUN_LOG_BEAN) != null;
        out.println();
        out.printf("Ferry runs every sync every %d s against the simulators:%n", everySeconds);
        out.printf("  %-12s %s%n", "console", !console ? "off (ferry.console.enabled, ferry.management.enabled)" : management + "/console/"
                + (password == null ? "" : "  (user " + SANDBOX_USER + ", password " + password + ", for this sandbox only)"));
        out.printf("  %-12s %s/observe/health%n", "health", management);
        out.printf("  %-12s %s/observe/metrics%s%n", "metrics", management, password == null ? "" : "  (the same login)");
        out.printf("  %-12s io.ferry:type=sync,name=<sync> (jconsole %d)%n", "JMX", ProcessHandle.current().pid());
        for (SimulatorServer s : sandbox.servers()) {
            out.printf("  %-12s %s%n", s.name(), s.url());
        }
        out.println("Stop with Ctrl-C.");
        out.flush();
    }

    private static List<String> simulators(Sandbox sandbox) {
        return sandbox.servers().stream().map(s -> s.name() + " " + s.url()).toList();
    }
}
