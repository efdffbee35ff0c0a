package io.ferry.state;

import java.time.Duration;

/**
 * A sync run was not opened: another run of the sync is 'running' in some process, and its heartbeat is fresh. Nothing
 * was written; the trigger that asked is skipped and the sync's next trigger tries again.
 */
public class RunGoingOnException extends RuntimeException {

    private final SyncStateEdits.RunningRun running;

    RunGoingOnException(String sync, SyncStateEdits.RunningRun running, Duration heartbeatAge) {
        super(sync + ": run " + running.id() + " is going on on node " + running.node() + " (started " + running.startedAt()
                + ", its last heartbeat " + heartbeatAge.toMillis() + " ms ago); this run is not started");
        this.running = running;
    }

    /** The run going on that kept this one from starting. */
    public SyncStateEdits.RunningRun running() {
        return running;
    }
}
