package io.ferry.state;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;


/** Ferry's state database and its repositories; bound in the Camel registry as {@value #BEAN}. */
public class FerryState {

    public static final String BEAN = "ferryState";

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
    private final Map<String, SyncedKeyRepository> syncedKeys = new ConcurrentHashMap<>();

    public FerryState(DataSource dataSource, String node) {
        this.dataSource = dataSource;
        this.node = node;
        this.runs = new RunRepository(dataSource);
        this.offsets = new OffsetRepository(dataSource);
        this.deadLetters = new DeadLetterRepository(dataSource);
        this.scanPositions = new ScanPositionRepository(dataSource);
        this.runCloser = new RunCloser(runs);
        this.stateEdits = new SyncStateEdits(dataSource);
        this.reconcileQueue = new ReconcileQueueRepository(dataSource);
        this.reconcileFindings = new ReconcileFindingRepository(dataSource);
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

    public SyncedKeyRepository syncedKeys(String syncName) {
        return syncedKeys.computeIfAbsent(syncName, s -> new SyncedKeyRepository(dataSource, s));
    }
}
