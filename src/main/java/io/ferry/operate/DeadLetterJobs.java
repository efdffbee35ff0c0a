package io.ferry.operate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk replays and discards that run in the background: the caller gets a job at once and follows its progress and
 * the result of each dead letter (replayed, discarded, or why not) while it goes on. The dead letters are taken in
 * chunks of {@link #CHUNK} (a replay run each; a chunk whose sync is running waits for the run to end, up to
 * {@link #WAIT_WHILE_RUNNING}), one job after the other on the executor given (a single thread). At most
 * {@link #QUEUED} jobs wait at once. Jobs live in this process's memory; the last {@link #KEPT} ended ones are kept,
 * and each start and end is audited by the caller.
 */
public final class DeadLetterJobs {

    public enum Action {
        REPLAY, DISCARD;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static final int CHUNK = 50;
    static final int KEPT = 50;
    static final int QUEUED = 20;
    static final java.time.Duration WAIT_WHILE_RUNNING = java.time.Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterJobs.class);

    /** One bulk action: what it was asked, by whom, how far it is, and the results so far. */
    public static final class Job {
        private final long id;
        private final Action action;
        private final String selection;
        private final String actor;
        private final int total;
        private final Instant startedAt = Instant.now();
        private final List<DeadLetterActions.Result> results = new ArrayList<>();
        private volatile Instant endedAt;
        private volatile String error;

        Job(long id, Action action, String selection, String actor, int total) {
            this.id = id;
            this.action = action;
            this.selection = selection;
            this.actor = actor;
            this.total = total;
        }

        public long id() {
            return id;
        }

        public Action action() {
            return action;
        }

        public String selection() {
            return selection;
        }

        public String actor() {
            return actor;
        }

        public int total() {
            return total;
        }

        public Instant startedAt() {
            return startedAt;
        }

        public Instant endedAt() {
            return endedAt;
        }

        /** Why the job stopped before its end, or null. */
        public String error() {
            return error;
        }

        /** queued, running, done or failed (stopped by an error; the results so far stand). */
        public String status() {
            if (endedAt != null) {
                return error == null ? "done" : "failed";
            }
            synchronized (results) {
                return results.isEmpty() ? "queued" : "running";
            }
        }

        public int tried() {
            synchronized (results) {
                return results.size();
            }
        }

        public int succeeded() {
            synchronized (results) {
                return (int) results.stream().filter(DeadLetterActions.Result::done).count();
            }
        }

        /** The results from position {@code from} on, at most {@code limit}. */
        public List<DeadLetterActions.Result> results(int from, int limit) {
            synchronized (results) {
                int start = Math.min(from, results.size());
                return List.copyOf(results.subList(start, Math.min(results.size(), start + limit)));
            }
        }

        void add(List<DeadLetterActions.Result> chunk) {
            synchronized (results) {
                results.addAll(chunk);
            }
        }
    }

    private final ExecutorService executor;
    private final Supplier<DeadLetterActions> actions;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Job> jobs = new LinkedHashMap<>();

    /** @param actions the replay and discard, or null-throwing when no dead-letter service is bound */
    public DeadLetterJobs(ExecutorService executor, Supplier<DeadLetterActions> actions) {
        this.executor = executor;
        this.actions = actions;
    }

    /** Too many jobs wait already. */
    public static final class TooManyJobsException extends IllegalStateException {
        TooManyJobsException(String message) {
            super(message);
        }
    }

    /** Queues the action over {@code deadLetters}; {@code ended} is called with the job once it has ended. */
    public Job start(Action action, List<Long> deadLetters, String reason, String selection, String actor, Consumer<Job> ended) {
        DeadLetterActions act = actions.get();
        Job job = new Job(ids.incrementAndGet(), action, selection, actor, deadLetters.size());
        synchronized (jobs) {
            if (jobs.values().stream().filter(j -> j.endedAt() == null).count() >= QUEUED) {
                throw new TooManyJobsException(QUEUED + " jobs are queued or running already: wait for one to end");
            }
            jobs.put(job.id(), job);
            // the oldest ended jobs go first; those queued or running stay
            List<Long> done = jobs.values().stream().filter(j -> j.endedAt() != null).map(Job::id).toList();
            for (int i = 0; i < done.size() - KEPT; i++) {
                jobs.remove(done.get(i));
            }
        }
        executor.submit(() -> {
            try {
                for (int from = 0; from < deadLetters.size(); from += CHUNK) {
                    List<Long> chunk = deadLetters.subList(from, Math.min(deadLetters.size(), from + CHUNK));
                    job.add(action == Action.REPLAY ? act.replay(chunk, WAIT_WHILE_RUNNING) : act.discard(chunk, reason));
                }
            } catch (RuntimeException e) {
                LOG.warn("dead-letter {} job {} stopped after {} of {}: {}", action.id(), job.id(), job.tried(), job.total(),
                        e.getMessage());
                job.error = String.valueOf(e.getMessage());
            } finally {
                job.endedAt = Instant.now();
                try {
                    ended.accept(job);
                } catch (RuntimeException e) {
                    LOG.warn("dead-letter job {} ended, and recording its end failed: {}", job.id(), e.getMessage());
                }
            }
        });
        return job;
    }

    public Job find(long id) {
        synchronized (jobs) {
            return jobs.get(id);
        }
    }

    /** The jobs kept, the newest first. */
    public List<Job> recent() {
        synchronized (jobs) {
            List<Job> out = new ArrayList<>(jobs.values());
            java.util.Collections.reverse(out);
            return out;
        }
    }
}
