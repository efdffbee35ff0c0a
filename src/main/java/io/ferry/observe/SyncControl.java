package io.ferry.observe;

import io.ferry.cluster.SyncLeadership;
import io.ferry.deadletter.DeadLetterService;
import io.ferry.pipeline.SyncRegistry;
import io.ferry.state.FerryState;
import io.ferry.state.RunRepository.RunRecord;

/** The MBean of one sync. Reads the state database on each access, so it is right after a restart. */
public class SyncControl implements SyncControlMBean {

    private final String sync;
    private final FerryState state;
    private final SyncRegistry syncs;
    private final OpenDeadLetters deadLetters;
    private final SyncActions actions;
    private final SyncLeadership leadership;

    public SyncControl(String sync, FerryState state, SyncRegistry syncs, OpenDeadLetters deadLetters, SyncActions actions,
            SyncLeadership leadership) {
        this.sync = sync;
        this.state = state;
        this.syncs = syncs;
        this.deadLetters = deadLetters;
        this.actions = actions;
        this.leadership = leadership;
    }

    private RunRecord last() {
        return state.runs().last(sync, io.ferry.state.RunRepository.SYNC);
    }

    @Override
    public String getSync() {
        return sync;
    }

    @Override
    public String getLeader() {
        return leadership.role(sync).toString();
    }

    @Override
    public boolean isRunning() {
        return syncs.isRunning(sync);
    }

    @Override
    public long getLastRunId() {
        RunRecord r = last();
        return r == null ? 0 : r.id();
    }

    @Override
    public String getLastRunStatus() {
        RunRecord r = last();
        return r == null ? null : r.status();
    }

    @Override
    public String getLastRunStart() {
        RunRecord r = last();
        return r == null ? null : r.startedAt().toString();
    }

    @Override
    public String getLastRunEnd() {
        RunRecord r = last();
        return r == null || r.endedAt() == null ? null : r.endedAt().toString();
    }

    @Override
    public String getLastRunError() {
        RunRecord r = last();
        return r == null ? null : r.error();
    }

    @Override
    public int getRead() {
        RunRecord r = last();
        return r == null ? 0 : r.read();
    }

    @Override
    public int getSkipped() {
        RunRecord r = last();
        return r == null ? 0 : r.skipped();
    }

    @Override
    public int getWritten() {
        RunRecord r = last();
        return r == null ? 0 : r.written();
    }

    @Override
    public int getFailed() {
        RunRecord r = last();
        return r == null ? 0 : r.failed();
    }

    @Override
    public int getOpenDeadLetters() {
        return deadLetters.refresh().getOrDefault(sync, 0);
    }

    @Override
    public String getWindowPosition() {
        java.time.Instant position = state.offsets().windowPosition(sync);
        return position == null ? null : position.toString();
    }

    @Override
    public String runNow() {
        String notConfigured = actions.notConfigured(sync);
        return notConfigured != null ? sync + " is " + notConfigured : SyncActions.describe(actions.runNow(sync));
    }

    @Override
    public String replayDeadLetters() {
        DeadLetterService service = actions.deadLetters();
        if (service == null) {
            return "replay is unavailable: no dead-letter service (" + io.ferry.deadletter.DeadLetterService.BEAN + ") is bound";
        }
        return service.replay(sync) + " dead letter(s) of " + sync + " replayed";
    }
}
