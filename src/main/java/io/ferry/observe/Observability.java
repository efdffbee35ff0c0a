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

import io.micrometer.core.instrument.MeterRegistry;

import io.ferry.config.SyncConfiguration;
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
    /** The registry name of the web console (its {@code port()} is the one it listens on). */
    public static final String CONSOLE_BEAN = "ferryConsole";

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
        FerryMetrics metrics = new FerryMetrics(deadLetters);
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

        if (Boolean.parseBoolean(prop(props, "ferry.console.enabled", "true"))) {
            ConsolePages pages = new ConsolePages(state, syncs, calls, actions, key -> props.resolveProperty(key).orElse(null));
            ConsoleServer console = new ConsoleServer(prop(props, "ferry.console.host", "127.0.0.1"),
                    intProp(props, "ferry.console.port", 9877), prop(props, "ferry.console.username", ""),
                    prop(props, "ferry.console.password", ""), pages, actions, state);
            camel.getRegistry().bind(CONSOLE_BEAN, console);
            camel.addService(console, true, true);
        }

        camel.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                MeterRegistry registry = context.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
                if (registry == null) {
                    registry = context.getRegistry().findSingleByType(MeterRegistry.class);
                }
                if (registry != null) {
                    metrics.attach(registry, syncs.names());
                } else {
                    LOG.info("no MeterRegistry (camel.metrics.enabled is off): Ferry's metrics are not collected");
                }
                HealthCheckRegistry health = HealthCheckRegistry.get(context);
                if (health != null) {
                    StateDatabaseHealthCheck db = new StateDatabaseHealthCheck(state.dataSource());
                    db.setCamelContext(context);
                    health.register(db);
                    SyncConfiguration configuration = context.getRegistry().lookupByNameAndType(SyncConfiguration.BEAN,
                            SyncConfiguration.class);
                    health.register(new SyncHealthChecks(syncs, state, deadLetters,
                            configuration == null ? SyncConfiguration.none() : configuration));
                }
                if (Boolean.parseBoolean(prop(props, "ferry.jmx.enabled", "true"))) {
                    mbeans.register(syncs, state, deadLetters, actions);
                }
            }
        });
    }

    static String prop(PropertiesComponent props, String key, String dflt) {
        return props.resolveProperty(key).orElse(dflt);
    }

    static int intProp(PropertiesComponent props, String key, int dflt) {
        String v = prop(props, key, "").strip();
        return v.isEmpty() ? dflt : Integer.parseInt(v);
    }
}
