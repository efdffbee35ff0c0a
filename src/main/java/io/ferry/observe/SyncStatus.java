package io.ferry.observe;

import io.ferry.state.RunRepository;
import io.ferry.state.RunRepository.RunRecord;

/**
 * Where a sync stands, as {@code ferry status}, health and the console judge it: by its last run of the sync's
 * route (kind {@value RunRepository#SYNC}), with its last replay of dead letters beside it. A replay never takes
 * the run's place: one that delivered nothing would otherwise hide a failed sync.
 *
 * @param lastRun    the last sync run, running or not (null when it never ran)
 * @param lastReplay the last replay, or null
 */
public record SyncStatus(String sync, RunRecord lastRun, RunRecord lastReplay) {

    public static SyncStatus read(RunRepository runs, String sync) {
        return new SyncStatus(sync, runs.last(sync, RunRepository.SYNC), runs.last(sync, RunRepository.REPLAY));
    }

    /** The last sync run failed (a later replay does not change that). */
    public boolean failed() {
        return lastRun != null && "failed".equals(lastRun.status());
    }

    /** One line on the last replay, e.g. "last replay 12 failed: replay delivered 1 of 3 …", or null. */
    public String replayLine() {
        if (lastReplay == null) {
            return null;
        }
        return "last replay " + lastReplay.id() + " " + lastReplay.status()
                + (lastReplay.error() == null ? "" : ": " + lastReplay.error());
    }
}
