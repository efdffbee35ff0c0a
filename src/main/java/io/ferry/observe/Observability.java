package io.ferry.observe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import io.ferry.auth.Accounts;
import io.ferry.connector.ConnectorComponent;
import io.ferry.state.ApiCallRepository;
import io.ferry.config.SyncConfiguration;
import io.ferry.cluster.SyncLeadership;
import io.ferry.pipeline.SyncRegistry;
import io.ferry.state.FerryState;

/**
 * Wires Ferry's observability into a Camel context: the API-call log (bound as the one ApiCallRecorder), its
 * retention, metrics, alerts, health checks and the sync MBeans. Metrics, health checks and MBeans are attached
 * once the context has started, when Camel's MeterRegistry and health registry exist and the routes have
 * declared their syncs.
 */
public final class Observability {

    /** The registry name of the API-call recorder the vendor components find by type. */
    public static final String API_CALLS_BEAN = "ferryApiCalls";
    /** The registry name of the {@link RunLog} (bound while the console is on). */
    public static final String RUN_LOG_BEAN = "ferryRunLog";
    /** The registry name of the management server (its {@code port()} is the one it listens on). */
    public static final String MANAGEMENT_BEAN = "ferryManagement";
    /** The registry name of the Prometheus registry /observe/metrics serves. */
    public static final String METRICS_BEAN = "metricsRegistry";

    private static final Logger LOG = LoggerFactory.getLogger(Observability.class);

    /** Matches the errors of a vendor that refused Ferry's credentials (Jushuitan's codes 100–109 say "check … access-token"). */
    static final String DEFAULT_CREDENTIAL_PATTERN = "(?i)(credential|access[-_ ]?token|app[-_ ]?secret|app[-_ ]?key"
            + "|unauthori[sz]ed|forbidden|HTTP 401|HTTP 403|invalid token|token expired)";

    private Observability() {
    }

    public static void configure(CamelContext camel, FerryState state, SyncRegistry syncs) throws Exception {
        PropertiesComponent props = camel.getPropertiesComponent();
        SecretMasker masker = SecretMasker.from(props, System.getenv());

        ApiCallRepository calls = new ApiCallRepository(state.dataSource());
        ApiCallLog log = new ApiCallLog(calls, masker, intProp(props, "ferry.api-log.body-max-chars", 4000),
                intProp(props, "ferry.api-log.queue-size", 10_000), intProp(props, "ferry.api-log.batch-size", 200),
                intProp(props, "ferry.api-log.max-wait-ms", 1000));
        boolean logEnabled = Boolean.parseBoolean(prop(props, "ferry.api-log.enabled", "true"));
        ApiCallRetention retention = new ApiCallRetention(calls, intProp(props, "ferry.api-log.retention-days", 30));

        OpenDeadLetters deadLetters = new OpenDeadLetters(state.dataSource());
        FerryMetrics metrics = new FerryMetrics(deadLetters, syncs, state.runs());
        PrometheusMeterRegistry prometheus = bool(props, "ferry.metrics.enabled", true) ? prometheus(camel) : null;
        List<io.ferry.http.ApiCallRecorder> recorders = new ArrayList<>();
        if (logEnabled) {
            recorders.add(log);
        }
        recorders.add(metrics);
        camel.getRegistry().bind(API_CALLS_BEAN, new ApiCallFanOut(recorders));
        camel.getRegistry().bind("ferryApiCallLog", calls);

        List<AlertSink> sinks = new ArrayList<>();
        String ding = prop(props, "ferry.alerts.dingtalk.url", "");
        if (!ding.isBlank()) {
            sinks.add(new DingTalkSink(ding, prop(props, "ferry.alerts.dingtalk.secret", "")));
        }
        String hook = prop(props, "ferry.alerts.webhook.url", "");
        if (!hook.isBlank()) {
            sinks.add(new JsonWebhookSink(hook));
        }
        AlertNotifier alerts = new AlertNotifier(sinks,
                new AlertThrottle(Duration.ofSeconds(intProp(props, "ferry.alerts.window-seconds", 1800))),
                Pattern.compile(prop(props, "ferry.alerts.credential-pattern", DEFAULT_CREDENTIAL_PATTERN)), deadLetters,
                masker, state.node());

        syncs.addListener(metrics);
        syncs.addListener(alerts);
        io.ferry.reconcile.Reconciler reconciler = camel.getRegistry().lookupByNameAndType(io.ferry.reconcile.Reconciler.BEAN,
                io.ferry.reconcile.Reconciler.class);
        if (reconciler != null) {
            reconciler.addListener(metrics);
            reconciler.addListener(alerts);
        }
        ConnectorComponent.callBudgets(camel).onNew(metrics::budget);

        if (logEnabled) {
            camel.addService(log, true, true);
            camel.addService(retention, true, true);
        }
        camel.addService(alerts, true, true);

        SyncActions actions = new SyncActions(camel, state);
        camel.getRegistry().bind("ferrySyncActions", actions);
        SyncMBeans mbeans = new SyncMBeans();
        camel.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                mbeans.unregisterAll();
            }
        }, true, true);

        if (bool(props, "ferry.management.enabled", true)) {
            if (!prop(props, "ferry.management.password", "").isBlank()) {
                throw new io.ferry.kernel.ConfigurationException("ferry.management.password (FERRY_MANAGEMENT_PASSWORD) is a plain "
                        + "password, which Ferry no longer reads: make a user with ferry.users.<name>.password-hash (its bcrypt "
                        + "hash, printed by `ferry hash-password`) and ferry.users.<name>.role, and remove ferry.management.username "
                        + "and .password");
            }
            ManagementServer management = new ManagementServer(camel, new ManagementServer.Settings(
                    prop(props, "ferry.management.host", "127.0.0.1"), intProp(props, "ferry.management.port", 9876),
                    accounts(props), loginThrottle(props, "ferry.management.login."), prometheus != null,
                    bool(props, "ferry.management.dev-console-enabled", false),
                    java.time.Duration.ofMinutes(intProp(props, "ferry.console.session-idle-minutes", 60)),
                    bool(props, "ferry.console.secure-cookies", false)), c -> prometheus);
            camel.getRegistry().bind(MANAGEMENT_BEAN, management);
            camel.addService(management, true, true);
        }

        for (String gone : List.of("ferry.console.username", "ferry.console.password", "ferry.console.host", "ferry.console.port")) {
            if (!prop(props, gone, "").isBlank()) {
                throw new io.ferry.kernel.ConfigurationException(gone + " is no longer read: the console is served at /console/ on "
                        + "the management server (ferry.management.host/.port) and logs in with the users of ferry.users.<name>"
                        + ".password-hash (from `ferry hash-password`) and .role; remove " + gone);
            }
        }
        if (bool(props, "ferry.console.enabled", true) && bool(props, "ferry.management.enabled", true)) {
            // the lines a run's page shows
            RunLog runLog = RunLog.install(syncs::declares, masker);
            camel.getRegistry().bind(RUN_LOG_BEAN, runLog);
            camel.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    runLog.uninstall();
                }
            }, true, true);
        }

        camel.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                if (prometheus != null) {
                    metrics.attach(prometheus, syncs.names());
                    new CamelRouteMeters(context).bindTo(prometheus);
                } else {
                    LOG.info("ferry.metrics.enabled is off: no metrics are collected");
                }
                HealthCheckRegistry health = HealthCheckRegistry.get(context);
                if (health != null) {
                    StateDatabaseHealthCheck db = new StateDatabaseHealthCheck(state.dataSource());
                    db.setCamelContext(context);
                    health.register(db);
                    SyncConfiguration configuration = context.getRegistry().lookupByNameAndType(SyncConfiguration.BEAN,
                            SyncConfiguration.class);
                    health.register(new SyncHealthChecks(syncs, state, deadLetters,
                            configuration == null ? SyncConfiguration.none() : configuration, SyncLeadership.of(context)));
                }
                if (Boolean.parseBoolean(prop(props, "ferry.jmx.enabled", "true"))) {
                    mbeans.register(syncs, state, deadLetters, actions, SyncLeadership.of(context));
                }
            }
        });
    }

    /** The users and API tokens of {@code ferry.users.*} and {@code ferry.api.tokens.*}. */
    static Accounts accounts(PropertiesComponent props) {
        java.util.function.Predicate<String> ours = k -> k.startsWith(Accounts.USERS) || k.startsWith(Accounts.TOKENS);
        java.util.Set<String> keys = new java.util.TreeSet<>();
        // the files' properties, those given to Camel Main by a command and the JVM's -D ones (which Camel reads
        // too, but loadProperties leaves out)
        props.loadProperties(ours).keySet().forEach(k -> keys.add(String.valueOf(k)));
        System.getProperties().stringPropertyNames().stream().filter(ours).forEach(keys::add);
        if (props instanceof org.apache.camel.component.properties.PropertiesComponent pc) {
            for (java.util.Properties p : new java.util.Properties[] { pc.getInitialProperties(), pc.getOverrideProperties() }) {
                if (p != null) {
                    p.stringPropertyNames().stream().filter(ours).forEach(keys::add);
                }
            }
        }
        java.util.Map<String, String> m = new java.util.HashMap<>();
        keys.forEach(k -> props.resolveProperty(k).ifPresent(v -> m.put(k, v)));
        return Accounts.from(m, Duration.ofSeconds(intProp(props, "ferry.users.cache-seconds", 300)));
    }

    /** A login's throttle from {@code <prefix>max-failures}, {@code lockout-seconds}, {@code delay-ms}, {@code max-delay-ms}. */
    static io.ferry.auth.LoginThrottle.Settings loginThrottle(PropertiesComponent props, String prefix) {
        return new io.ferry.auth.LoginThrottle.Settings(intProp(props, prefix + "max-failures", 5),
                Duration.ofSeconds(intProp(props, prefix + "lockout-seconds", 300)),
                Duration.ofMillis(intProp(props, prefix + "delay-ms", 1000)),
                Duration.ofMillis(intProp(props, prefix + "max-delay-ms", 30_000)));
    }

    /** The registry /observe/metrics serves, with the JVM's and the process's meters; bound as metricsRegistry. */
    private static PrometheusMeterRegistry prometheus(CamelContext camel) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        camel.getRegistry().bind(METRICS_BEAN, registry);
        camel.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                gc.close();
                registry.close();
            }
        }, true, true);
        return registry;
    }

    static boolean bool(PropertiesComponent props, String key, boolean dflt) {
        return Boolean.parseBoolean(prop(props, key, String.valueOf(dflt)).strip());
    }

    static String prop(PropertiesComponent props, String key, String dflt) {
        return props.resolveProperty(key).orElse(dflt);
    }

    static int intProp(PropertiesComponent props, String key, int dflt) {
        String v = prop(props, key, "").strip();
        return v.isEmpty() ? dflt : Integer.parseInt(v);
    }
}
