package io.ferry.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.state.FerryState;

/**
 * Keeps where a whole scan stopped: a run of a sync without an offset that ends before its scan did saves the page it
 * was asking for, and the next run starts there (so a sync that fails now and then still gets through every page);
 * a run that completes its scan clears it.
 */
public class ScanPositions implements SyncRegistry.RunListener {

    private static final Logger LOG = LoggerFactory.getLogger(ScanPositions.class);

    private final FerryState state;

    public ScanPositions(FerryState state) {
        this.state = state;
    }

    @Override
    public void runEnded(SyncRun run, String status, String message) {
        Integer page = run.paging().pageNumberAsked();
        if (run.settings().incremental() || page == null) {
            return; // an incremental sync, or a run that read no page (a replay)
        }
        try {
            if (run.paging().hasMore()) {
                if (state.scanPositions().save(run.syncName(), page, run.runId())) {
                    LOG.info("{}: the next run starts at page {}, where run {} stopped", run.syncName(), page, run.runId());
                } else {
                    LOG.info("{}: run {} stopped at page {}; not kept, the sync's state was edited since the run ended",
                            run.syncName(), run.runId(), page);
                }
            } else {
                state.scanPositions().clear(run.syncName());
            }
        } catch (RuntimeException e) {
            // the next run then starts at the first page, as it always did
            LOG.warn("{}: where run {} stopped could not be saved: {}", run.syncName(), run.runId(), e.getMessage());
        }
    }
}
