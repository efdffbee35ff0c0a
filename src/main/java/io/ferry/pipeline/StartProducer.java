package io.ferry.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.kernel.ConfigurationException;
import io.ferry.config.SyncConfiguration;
import io.ferry.state.FerryState;
import io.ferry.state.RunGoingOnException;

/** {@code ferry:start}: opens a run, unless the sync is running already or is not configured. */
class StartProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(StartProducer.class);

    private final FerryState state;
    private final SyncRegistry syncs;
    private final SyncSettings settings;
    private final RequeuedRecords requeued;

    StartProducer(FerryEndpoint endpoint, FerryState state, SyncRegistry syncs, SyncSettings settings) {
        super(endpoint);
        this.requeued = new RequeuedRecords(endpoint.getCamelContext(), state);
        this.state = state;
        this.syncs = syncs;
        this.settings = settings;
    }


    @Override
    public void process(Exchange exchange) {
        String sync = settings.sync();
        SyncConfiguration configuration = getEndpoint().getCamelContext().getRegistry()
                .lookupByNameAndType(SyncConfiguration.BEAN, SyncConfiguration.class);
        if (configuration != null && !configuration.isConfigured(sync)) {
            // its routes were kept stopped; whoever started one by hand learns why it cannot run
            throw new ConfigurationException(sync + " is " + configuration.message(sync));
        }
        if (!syncs.tryStart(sync)) {
            LOG.warn("{}: the previous run is still going; this trigger is skipped", sync);
            exchange.setProperty(SyncRun.SKIPPED_PROPERTY, true);
            exchange.setRouteStop(true);
            return;
        }
        SyncRun run;
        Integer resume = null;
        try {
            long runId;
            try {
                runId = state.runs().open(sync, state.node());
            } catch (RunGoingOnException e) {
                // another process runs the sync (two replicas both believe they lead, or `ferry sync` beside a Ferry)
                syncs.finished(sync);
                LOG.warn("{}; this trigger is skipped", e.getMessage());
                exchange.setProperty(SyncRun.SKIPPED_PROPERTY, true);
                exchange.setRouteStop(true);
                return;
            }
            run = new SyncRun(settings, runId);
            if (settings.window() != null) {
                String saved = state.offsets().find(sync);
                java.time.Instant position = saved != null ? java.time.Instant.parse(saved) : settings.window().start();
                run.paging().useWindows(new io.ferry.kernel.Windows(settings.window(), position, ((FerryEndpoint) getEndpoint()).windowOverlap(),
                        java.time.Instant.now()));
            } else if (settings.offsetField() != null) {
                String saved = state.offsets().find(sync);
                if (saved != null) {
                    run.paging().moveCursor(saved);
                }
            } else {
                resume = state.scanPositions().find(sync);
                if (resume != null) {
                    run.paging().resumeAt(resume);
                }
            }
            run.setOpenDeadLetters(state.deadLetters().countOpen(sync) > 0);
        } catch (RuntimeException e) {
            syncs.finished(sync);
            throw e;
        }
        syncs.opened(run);
        exchange.setProperty(SyncRun.PROPERTY, run);
        exchange.getExchangeExtension().addOnCompletion(new RunCompletion(run, state, syncs, new BatchWriter(getEndpoint().getCamelContext(), state)));
        io.ferry.kernel.Windows windows = run.paging().windows();
        LOG.info("{}: run {} started{}", sync, run.runId(), windows != null
                ? (windows.current() == null ? ", nothing to read: the saved window position is at now - lag (" + windows.horizon() + ")"
                        : " at window " + windows.current().from() + " (asked from " + windows.current().askFrom() + "), reading up to "
                                + windows.horizon())
                : run.paging().cursor(null) != null ? " from offset " + run.paging().cursor(null)
                        : resume != null
                                ? " at page " + resume + ", where the last run stopped (the pages before it come last)" : "");
        // what a reconcile's repair queued for this run goes before the source's first page
        requeued.deliver(run);
    }
}
