package io.ferry.state;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;


/** Ferry's state database and its repositories; bound in the Camel registry as {@value #BEAN}. */
public class FerryState {

    public static final String BEAN = "ferryState";
    /** ferry.run.heartbeat-interval's default: how often a process says its runs are alive */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(3);
    /** ferry.run.heartbeat-timeout's default: a 'running' run silent this long belongs to a dead process */
    public static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(9);

    private final DataSource dataSource;
    private final String node;
    private final RunRepository runs;
    private final OffsetRepository offsets;
    private final DeadLetterRepository deadLetters;
    private final ScanPositionRepository scanPositions;
    private final RunCloser runCloser;
    private final SyncStateEdits stateEdits;
    private final ReconcileQueueRepository reconcileQueue;
    private final ReconcileFindingRepository reconcileFindings;
    private final SyncLeaders leaders;
    private final Map<String, SyncedKeyRepository> syncedKeys = new ConcurrentHashMap<>();

    public FerryState(DataSource dataSource, String node) {
        this(dataSource, node, HEARTBEAT_INTERVAL, HEARTBEAT_TIMEOUT);
    }

    /**
     * @param heartbeatInterval how often the runs this process has open are said to be alive
     * @param heartbeatTimeout  how old another process's heartbeat may be before its 'running' run is taken for abandoned
     */
    public FerryState(DataSource dataSource, String node, Duration heartbeatInterval, Duration heartbeatTimeout) {
        this.dataSource = dataSource;
        this.node = node;
        Sql sql = new Sql(dataSource);
        this.runs = new RunRepository(sql, new RunHeartbeat(sql, heartbeatInterval, heartbeatTimeout));
        this.offsets = new OffsetRepository(dataSource);
        this.deadLetters = new DeadLetterRepository(dataSource);
        this.scanPositions = new ScanPositionRepository(dataSource);
        this.runCloser = new RunCloser(runs);
        this.stateEdits = new SyncStateEdits(dataSource);
        this.reconcileQueue = new ReconcileQueueRepository(dataSource);
        this.reconcileFindings = new ReconcileFindingRepository(dataSource);
        this.leaders = new SyncLeaders(dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** This process's name in run rows; runs it left 'running' are closed when it starts again. */
    public String node() {
        return node;
    }

    public RunRepository runs() {
        return runs;
    }

    /** Writes the end of runs, in the background while the database is away. */
    public RunCloser runCloser() {
        return runCloser;
    }

    public OffsetRepository offsets() {
        return offsets;
    }

    public DeadLetterRepository deadLetters() {
        return deadLetters;
    }

    public ScanPositionRepository scanPositions() {
        return scanPositions;
    }

    /** An operator's edits of a sync's state, refused while it runs, and their record. */
    public SyncStateEdits stateEdits() {
        return stateEdits;
    }

    /** The records a reconcile's repair queued for each sync's next run. */
    public ReconcileQueueRepository reconcileQueue() {
        return reconcileQueue;
    }

    /** What each reconcile found. */
    public ReconcileFindingRepository reconcileFindings() {
        return reconcileFindings;
    }

    /** Which replica says it leads each clustered sync. */
    public SyncLeaders leaders() {
        return leaders;
    }

    public SyncedKeyRepository syncedKeys(String syncName) {
        return syncedKeys.computeIfAbsent(syncName, s -> new SyncedKeyRepository(dataSource, s));
    }
}
