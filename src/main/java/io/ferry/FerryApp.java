package io.ferry;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

import io.ferry.config.ConfigFile;
import io.ferry.config.SyncConfiguration;
import io.ferry.config.SyncConfigurationListener;
import io.ferry.config.SyncTemplateRoutes;
import io.ferry.deadletter.DeadLetterService;
import io.ferry.kernel.ConfigurationException;
import io.ferry.pipeline.SyncRegistry;
import io.ferry.pipeline.SyncRun;
import io.ferry.state.FerryState;
import io.ferry.state.RunRepository.RunRecord;

/** Ferry's Camel Main, started with its routes from files; runs syncs on demand (CLI, sandbox, tests). */
public class FerryApp implements AutoCloseable {

    private static final java.time.Duration PENDING_CLOSE_WAIT = java.time.Duration.ofSeconds(30);

    private final Main main = new Main();
    private ProducerTemplate template;

    /** @param overrides properties that win over application.properties and the environment */
    public FerryApp(Map<String, String> overrides) {
        // application.properties is a file beside the routes, replaceable without a rebuild
        // and the files a deployment adds (FERRY_CONFIG_EXTRA), read after it: theirs win
        StringBuilder locations = new StringBuilder("file:" + ConfigFile.location());
        ConfigFile.extraLocations().forEach(f -> locations.append(",file:").append(f));
        main.setPropertyPlaceholderLocations(locations.toString());
        main.configure().addConfiguration(new FerryConfiguration());
        // a sync whose settings are missing is reported and kept stopped; the others start
        main.addMainListener(new SyncTemplateRoutes());
        main.addMainListener(new SyncConfigurationListener(ConfigFile.load()));
        // Camel lets an environment variable named like a property (FERRY_STATE_URL for ferry.state.url) win over
        // everything, the overrides below included: a sandbox or a one-shot command would then use a container's
        // production state database or schedules. application.properties names each variable it reads ({{env:…}}),
        // so such a variable is only a fallback.
        main.addOverrideProperty("camel.component.properties.environment-variable-mode", "1");
        overrides.forEach(main::addOverrideProperty);
    }

    public FerryApp start() throws Exception {
        try {
            main.start();
        } catch (Exception e) {
            throw explained(e);
        }
        if (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
            throw new IllegalStateException("Ferry did not start; see the log above");
        }
        template = main.getCamelContext().createProducerTemplate();
        return this;
    }

    /** Blocks until the JVM is asked to stop (the scheduled mode). */
    public void runUntilStopped() throws Exception {
        try {
            main.run();
        } catch (Exception e) {
            throw explained(e);
        }
    }

    /** A route that cannot be created or started names its file; anything else stays as it was. */
    private Exception explained(Exception e) {
        ConfigurationException routeFile = RouteFileErrors.explain(e, main.getCamelContext());
        return routeFile != null ? routeFile : e;
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    public FerryState state() {
        return camel().getRegistry().lookupByNameAndType(FerryState.BEAN, FerryState.class);
    }

    public SyncRegistry syncs() {
        return camel().getRegistry().lookupByNameAndType(SyncRegistry.BEAN, SyncRegistry.class);
    }

    /** Which syncs are configured, and what the others lack. */
    public SyncConfiguration syncConfiguration() {
        SyncConfiguration c = camel().getRegistry().lookupByNameAndType(SyncConfiguration.BEAN, SyncConfiguration.class);
        return c == null ? SyncConfiguration.none() : c;
    }

    public DeadLetterService deadLetters() {
        return camel().getRegistry().lookupByNameAndType(DeadLetterService.BEAN, DeadLetterService.class);
    }

    /**
     * Runs one sync now, on this thread, and returns its run as stored (null when it was already running).
     * The sync's route is the one whose id is the sync's name, started from {@code direct:<name>}. A sync that is
     * not configured does not run: a {@link ConfigurationException} lists what it lacks.
     */
    public RunRecord runSync(String sync) {
        if (!syncs().syncs().containsKey(sync)) {
            throw new IllegalArgumentException("no sync named '" + sync + "'; known: " + syncs().names());
        }
        if (!syncConfiguration().isConfigured(sync)) {
            throw new ConfigurationException(sync + " is " + syncConfiguration().message(sync));
        }
        Exchange done = template.send("direct:" + sync, ex -> {
        });
        SyncRun run = done.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (run == null) {
            if (done.getException() != null && done.getProperty(SyncRun.SKIPPED_PROPERTY) == null) {
                throw new IllegalStateException(sync + " could not start: " + done.getException().getMessage());
            }
            return null;
        }
        try {
            return state().runs().find(run.runId());
        } catch (RuntimeException e) {
            // the state database is away (often why the run failed): the run as it ended, its row written later
            return run.record();
        }
    }

    @Override
    public void close() {
        FerryState state = main.getCamelContext() == null ? null : state();
        Object bi = state == null ? null : camel().getRegistry().lookupByName("biDataSource");
        main.stop();
        if (state != null) {
            // a run that ended during a state-database outage is closed when the database answers, if it does soon
            state.runCloser().awaitPending(PENDING_CLOSE_WAIT);
            state.runCloser().close();
            state.runs().heartbeat().close();
            // the pools last: the run closer above still wrote through the state database's
            for (Object pool : new Object[] { bi, state.dataSource() }) {
                if (pool instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        // the process goes on without this pool either way
                    }
                }
            }
        }
    }
}
