package io.ferry.pipeline;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The syncs this process runs (every {@code ferry:start} endpoint declares one) and which of them is running
 * now: a sync never runs twice at once in one process, whether a schedule tick, run-now or a replay started it.
 */
public class SyncRegistry {

    public static final String BEAN = "ferrySyncs";

    private final Map<String, SyncSettings> syncs = new TreeMap<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    /** the run of each running sync, once it is open: its counts move while it runs (metrics read them) */
    private final Map<String, SyncRun> current = new ConcurrentHashMap<>();
    private final java.util.List<RunListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Told of every run's end (metrics, alerts). */
    public interface RunListener {
        void runEnded(SyncRun run, String status, String message);
    }

    public void addListener(RunListener listener) {
        listeners.add(listener);
    }

    void runEnded(SyncRun run, String status, String message) {
        for (RunListener l : listeners) {
            try {
                l.runEnded(run, status, message);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(SyncRegistry.class).warn("run listener failed: {}", e.toString());
            }
        }
    }

    public synchronized void declare(SyncSettings settings) {
        SyncSettings before = syncs.putIfAbsent(settings.sync(), settings);
        if (before != null && !before.equals(settings)) {
            throw new IllegalArgumentException("sync '" + settings.sync() + "' is declared twice with different settings");
        }
    }

    public synchronized Map<String, SyncSettings> syncs() {
        return Map.copyOf(syncs);
    }

    public synchronized boolean declares(String sync) {
        return syncs.containsKey(sync);
    }

    public synchronized java.util.List<String> names() {
        return java.util.List.copyOf(syncs.keySet());
    }

    boolean tryStart(String sync) {
        return running.add(sync);
    }

    /** The run a started sync opened. */
    void opened(SyncRun run) {
        current.put(run.syncName(), run);
    }

    void finished(String sync) {
        current.remove(sync);
        running.remove(sync);
    }

    /** The run of the sync going on now, or null. */
    public SyncRun current(String sync) {
        return current.get(sync);
    }

    public boolean isRunning(String sync) {
        return running.contains(sync);
    }
}
