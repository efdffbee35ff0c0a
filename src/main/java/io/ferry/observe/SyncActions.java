package io.ferry.observe;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import io.ferry.config.SyncConfiguration;
import io.ferry.deadletter.DeadLetterService;
import io.ferry.kernel.ConfigurationException;
import io.ferry.pipeline.SyncRun;
import io.ferry.state.FerryState;
import io.ferry.state.RunRepository.RunRecord;

/** What an operator can do to a sync from JMX or the console: run it now, replay or discard its dead letters. */
public class SyncActions {

    private final CamelContext camel;
    private final FerryState state;
    private ProducerTemplate template;

    public SyncActions(CamelContext camel, FerryState state) {
        this.camel = camel;
        this.state = state;
    }

    private synchronized ProducerTemplate template() {
        if (template == null) {
            template = camel.createProducerTemplate();
        }
        return template;
    }

    /**
     * Runs a sync as a schedule tick does: a send to {@code direct:<sync>}, on this thread. A sync that is not
     * configured does not run: a {@link ConfigurationException} says what it lacks.
     *
     * @return the run as stored, or null when the sync was already running
     */
    public RunRecord runNow(String sync) {
        String notConfigured = notConfigured(sync);
        if (notConfigured != null) {
            throw new ConfigurationException(sync + " is " + notConfigured);
        }
        Exchange done = template().send("direct:" + sync, ex -> {
        });
        SyncRun run = done.getProperty(SyncRun.PROPERTY, SyncRun.class);
        return run == null ? null : state.runs().find(run.runId());
    }

    /** True when this process runs the sync (its route declared it). */
    public boolean knows(String sync) {
        io.ferry.pipeline.SyncRegistry syncs = registry();
        return syncs != null && syncs.syncs().containsKey(sync);
    }

    /** {@code not configured: …} with every setting the sync lacks, or null when it is configured. */
    public String notConfigured(String sync) {
        return configuration().message(sync);
    }

    /** Which syncs are configured (none known before the routes were checked). */
    public SyncConfiguration configuration() {
        SyncConfiguration c = camel.getRegistry().lookupByNameAndType(SyncConfiguration.BEAN, SyncConfiguration.class);
        return c == null ? SyncConfiguration.none() : c;
    }

    public boolean isRunning(String sync) {
        io.ferry.pipeline.SyncRegistry syncs = registry();
        return syncs != null && syncs.isRunning(sync);
    }

    private io.ferry.pipeline.SyncRegistry registry() {
        return camel.getRegistry().lookupByNameAndType(io.ferry.pipeline.SyncRegistry.BEAN, io.ferry.pipeline.SyncRegistry.class);
    }

    /** The dead-letter service, or null while none is bound. */
    public DeadLetterService deadLetters() {
        return camel.getRegistry().lookupByNameAndType(DeadLetterService.BEAN, DeadLetterService.class);
    }

    public static String describe(RunRecord r) {
        if (r == null) {
            return "not started: the sync is running already";
        }
        return "run " + r.id() + " " + r.status() + ": read=" + r.read() + " skipped=" + r.skipped() + " written="
                + r.written() + " failed=" + r.failed() + (r.error() == null ? "" : " (" + r.error() + ")");
    }
}
