package io.ferry.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in {@code ferry_run.heartbeat_at} that the runs this process has open are alive, every {@code interval}, from
 * the database's clock (so that the clocks of several hosts never disagree about it). Another process that finds a
 * run 'running' with a heartbeat older than {@code timeout} takes its process for dead (RunRepository.open).
 */
public class RunHeartbeat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunHeartbeat.class);

    private final Sql sql;
    private final Duration interval;
    private final Duration timeout;
    private final Set<Long> open = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService beats;

    public RunHeartbeat(Sql sql, Duration interval, Duration timeout) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("ferry.run.heartbeat-interval must be positive: " + interval);
        }
        if (timeout.compareTo(interval.multipliedBy(2)) < 0) {
            // one late beat (a slow statement, a pause) must not make a live run look dead
            throw new IllegalArgumentException("ferry.run.heartbeat-timeout (" + timeout + ") must be at least twice "
                    + "ferry.run.heartbeat-interval (" + interval + ")");
        }
        this.sql = sql;
        this.interval = interval;
        this.timeout = timeout;
    }

    public Duration interval() {
        return interval;
    }

    /** How old a 'running' run's heartbeat may be before its process is taken for dead. */
    public Duration timeout() {
        return timeout;
    }

    void started(long runId) {
        open.add(runId);
        ensureBeating();
    }

    void ended(long runId) {
        open.remove(runId);
    }

    /** Writes one heartbeat for every open run now; the runs no longer 'running' (closed by another) are named. */
    public void beat() {
        List<Long> ids = new ArrayList<>(open);
        for (Long id : ids) {
            int updated = sql.update("UPDATE ferry_run SET heartbeat_at = CURRENT_TIMESTAMP(3) WHERE id = ? AND status = 'running'", id);
            if (updated == 0 && open.remove(id)) {
                LOG.warn("run {} was closed by another process while this one ran it (its heartbeat was older than {}: "
                        + "this process or its database connection stalled); its end is still written when it ends", id, timeout);
            }
        }
    }

    private synchronized void ensureBeating() {
        if (beats != null) {
            return;
        }
        beats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ferry-run-heartbeat");
            t.setDaemon(true);
            return t;
        });
        beats.scheduleWithFixedDelay(() -> {
            try {
                beat();
            } catch (RuntimeException e) {
                // the state database is away: the next beat tries again; past the timeout others may take the sync
                LOG.warn("run heartbeat could not be written: {}", e.getMessage());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (beats != null) {
            beats.shutdownNow();
            beats = null;
        }
    }
}
