package io.ferry.observe;

/** JMX view of one sync ({@code io.ferry:type=sync,name=<sync>}); values are read from the state database. */
public interface SyncControlMBean {

    String getSync();

    /**
     * What this replica is to the sync: "leads" (its schedule runs here), "follows" (another replica leads),
     * "does not take part" (ferry.cluster.syncs leaves it out) or "not clustered" (no cluster service: it runs here).
     */
    String getLeader();

    boolean isRunning();

    long getLastRunId();

    String getLastRunStatus();

    String getLastRunStart();

    String getLastRunEnd();

    String getLastRunError();

    int getRead();

    int getSkipped();

    int getWritten();

    int getFailed();

    int getOpenDeadLetters();

    /** A sync read by time window: where its next run starts (ISO-8601, UTC); null for any other sync. */
    String getWindowPosition();

    /** Runs the sync now, on the calling thread, and returns how the run ended. */
    String runNow();

    /** Replays the sync's open dead letters through the dead-letter service, when one is bound. */
    String replayDeadLetters();
}
