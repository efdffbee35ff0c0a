package io.ferry.state;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the end of runs into {@code ferry_run}, and keeps trying in the background while the state database is
 * away: a run that ended during an outage is closed (with its status and reason) when the database answers again,
 * so a live process never leaves a run 'running'. The update is idempotent; a process that stops before it could
 * write it leaves the run to be closed as abandoned at the next start.
 */
public class RunCloser implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunCloser.class);
    private static final int ATTEMPTS_NOW = 3;
    private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    /** The end of a run as it is written. */
    public record RunEnd(long runId, String status, int pages, int read, int skipped, int written, int failed, String message) {
    }

    private final RunRepository runs;
    private final Map<Long, RunEnd> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ferry-run-closer");
        t.setDaemon(true);
        return t;
    });

    public RunCloser(RunRepository runs) {
        this.runs = runs;
    }

    /**
     * Writes the run's end now (a few attempts: a connection dropped a moment ago is often why the run failed), or,
     * when the database does not answer, hands it to the background until it does.
     *
     * @return true when the row was written now
     */
    public boolean closeRun(RunEnd end) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS_NOW; attempt++) {
            try {
                write(end);
                return true;
            } catch (RuntimeException e) {
                last = e;
                if (attempt < ATTEMPTS_NOW && !sleep(attempt * 500L)) {
                    break;
                }
            }
        }
        LOG.warn("run {} could not be closed in the state database ({}); it is closed as {} when the database answers again",
                end.runId(), last.getMessage(), end.status());
        pending.put(end.runId(), end);
        retries.schedule(() -> retry(end, FIRST_WAIT), FIRST_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return false;
    }

    /** Runs whose end is still to be written. */
    public int pending() {
        return pending.size();
    }

    /** Waits until every pending end is written, at most {@code max}; true when none is left. */
    public boolean awaitPending(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            if (!sleep(100)) {
                break;
            }
        }
        return pending.isEmpty();
    }

    private void retry(RunEnd end, Duration waited) {
        try {
            write(end);
            pending.remove(end.runId());
            LOG.info("run {} closed as {} now that the state database answers again", end.runId(), end.status());
        } catch (RuntimeException e) {
            Duration next = waited.multipliedBy(2).compareTo(MAX_WAIT) > 0 ? MAX_WAIT : waited.multipliedBy(2);
            retries.schedule(() -> retry(end, next), next.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void write(RunEnd end) {
        runs.close(end.runId(), end.status(), end.pages(), end.read(), end.skipped(), end.written(), end.failed(), end.message());
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        retries.shutdownNow();
        if (!pending.isEmpty()) {
            LOG.warn("run(s) {} could not be closed in the state database before Ferry stopped; the next start closes them "
                    + "as abandoned", pending.keySet());
        }
    }
}
