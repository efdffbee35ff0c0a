package io.ferry.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.kernel.Failure;
import io.ferry.kernel.ConfigurationException;
import io.ferry.kernel.Records;
import io.ferry.kernel.RowResult;
import io.ferry.kernel.SinkFailedException;
import io.ferry.state.DeadLetterRepository.Stage;
import io.ferry.state.FerryState;
import io.ferry.state.SyncedKeyRepository;
import io.ferry.state.SyncedKeyRepository.SyncedKey;

/**
 * Writes a batch through its sink route and records each row's outcome: confirmed rows are marked synced (one
 * batched statement), rejected rows are dead-lettered with the target's message.
 * <p>
 * When the sink fails the batch as a whole ({@link Failure#of}): a transient failure (connection lost, timeout, 5xx) that outlasted
 * the sink route's retries fails the run and marks nothing, and so does a {@link ConfigurationException}
 * (credentials refused, or the target says the sync is set up wrong: every row would fail); any other failure (a row the database refuses) is narrowed down by writing the rows one at
 * a time, so one bad row does not keep nineteen good ones out.
 */
class BatchWriter {

    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

    /** Threads that write batches when a sink allows more than one call at a time. */
    private static final ExecutorService SINK_THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ferry-sink");
        t.setDaemon(true);
        return t;
    });

    private final CamelContext camel;
    private final FerryState state;
    private ProducerTemplate template;
    private StateWriteRetries retries;

    BatchWriter(CamelContext camel, FerryState state) {
        this.camel = camel;
        this.state = state;
    }

    /** What the sink said about the rows of one batch. */
    record Outcome(List<Batch.Row> rows, List<SyncedKey> delivered, List<Rejection> rejected) {
    }

    /** A row the sink refused, with the sink's reason. */
    record Rejection(Batch.Row row, String errorClass, String message, int attempts) {
    }

    /** Writes every pending batch and waits for every batch still being written. */
    void flushAll(SyncRun run) {
        for (Batch batch : run.batches()) {
            if (!batch.isEmpty()) {
                flush(run, batch);
            }
            settle(run, batch, true);
        }
    }

    /**
     * Every page of a time window was handed to the route: once its rows are written (the batches are flushed now,
     * whatever their size) and marked, the saved position moves to the window's end. Rule 2 per window: the position
     * never passes a record that was neither delivered nor dead-lettered.
     */
    void windowRead(SyncRun run, java.time.Instant end) {
        if (end == null || end.equals(run.windowHandedOver())) {
            return;
        }
        flushAll(run);
        run.setWindowHandedOver(end);
        run.setConfirmedOffset(end.toString());
        markConfirmed(run);
    }

    /**
     * Writes a batch. With a concurrency of 1 the run waits for the sink's answer; with more, up to that many
     * batches are written at once on other threads and the run goes on reading, and each batch's outcome is
     * recorded on the run's thread when it is collected — so marks still follow the sink's confirmation.
     */
    void flush(SyncRun run, Batch batch) {
        List<Batch.Row> rows = batch.drain();
        if (batch.concurrency() <= 1) {
            record(run, batch, write(run, batch.sinkUri(), rows));
            return;
        }
        batch.inFlight().add(SINK_THREADS.submit(() -> write(run, batch.sinkUri(), rows)));
        while (batch.inFlight().size() >= batch.concurrency()) {
            collect(run, batch, batch.inFlight().poll());
        }
    }

    /** Waits for the batches still being written and records them; the first failure is thrown when {@code rethrow}. */
    void settle(SyncRun run, Batch batch, boolean rethrow) {
        RuntimeException first = null;
        while (!batch.inFlight().isEmpty()) {
            try {
                collect(run, batch, batch.inFlight().poll());
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null && rethrow) {
            throw first;
        }
    }

    /** Every batch of the run, after a failure elsewhere: what the sink confirmed is still marked. */
    void settleAll(SyncRun run) {
        for (Batch batch : run.batches()) {
            settle(run, batch, false);
        }
    }

    private void collect(SyncRun run, Batch batch, Future<Outcome> pending) {
        Outcome outcome;
        try {
            outcome = pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkFailedException("interrupted while waiting for " + batch.sinkUri());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new SinkFailedException("sink " + batch.sinkUri() + " failed: " + e.getCause());
        }
        record(run, batch, outcome);
    }

    /**
     * Dead-letters the rejected rows and records the delivered ones as confirmed; confirmed keys are marked (one
     * statement) once {@code markEvery} of them are waiting, at the end of the run and when it fails, and an
     * incremental sync's offset is saved right after the marks it covers.
     */
    private void record(SyncRun run, Batch batch, Outcome outcome) {
        for (Rejection r : outcome.rejected()) {
            reject(run, r.row(), r.errorClass(), r.message(), r.attempts());
            run.pendingKeys().remove(r.row().key());
        }
        List<SyncedKey> delivered = outcome.delivered();
        if (run.hasOpenDeadLetters() && !delivered.isEmpty()) {
            List<String> keys = new ArrayList<>(delivered.size());
            for (SyncedKey k : delivered) {
                keys.add(k.key());
            }
            state.deadLetters().resolveDelivered(run.syncName(), keys, "delivered by run " + run.runId());
        }
        run.addWritten(delivered.size());
        run.confirmed().addAll(delivered);
        List<Batch.Row> rows = outcome.rows();
        if (run.settings().offsetField() != null) {
            String last = rows.get(rows.size() - 1).offset();
            if (last != null) {
                // every row up to this one is now delivered or dead-lettered
                run.setConfirmedOffset(last);
            }
        }
        if (run.confirmed().size() >= batch.markEvery()) {
            if (batch.concurrency() > 1 && run.settings().offsetField() == null) {
                markInBackground(run);
            } else {
                markConfirmed(run);
            }
        }
    }

    /**
     * Marks the confirmed keys on another thread while the run reads on: a mark is a commit, and on the run's thread
     * its wait was a sixth of a sync's time (docs/benchmarks.md). Only for syncs whose batches are written on other
     * threads anyway and that keep no offset (an offset must be saved after the marks it covers). One mark at a
     * time: the previous one is waited for first. A mark that failed in the background is written again at once on
     * the run's thread with the keys confirmed since, and if that fails too the run fails, as a mark on the run's
     * thread would. The keys stay pending, so that no later page sends them again, until their mark is written.
     */
    private void markInBackground(SyncRun run) {
        if (!awaitMarking(run)) {
            markConfirmed(run);
            return;
        }
        List<SyncedKey> keys = new ArrayList<>(run.confirmed());
        run.confirmed().clear();
        SyncedKeyRepository repository = state.syncedKeys(run.syncName());
        Long runId = run.runId();
        run.setMarking(new SyncRun.Marking(keys, SINK_THREADS.submit(() -> repository.markSynced(keys, runId))));
    }

    /**
     * Waits for the mark being written in the background, if any, and says whether it was written. On failure its
     * keys go back to the confirmed ones, for the caller to mark again on the run's thread.
     */
    private boolean awaitMarking(SyncRun run) {
        SyncRun.Marking marking = run.marking();
        if (marking == null) {
            return true;
        }
        run.setMarking(null);
        String failure;
        try {
            marking.done().get();
            run.marked(marking.keys());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } catch (ExecutionException e) {
            failure = e.getCause().getMessage();
        }
        run.confirmed().addAll(marking.keys());
        LOG.warn("{}: {} keys could not be marked as synced in the background ({}); marking them again", run.syncName(),
                marking.keys().size(), failure);
        return false;
    }

    /**
     * Marks the keys the target confirmed since the last mark (one batched statement), then saves the offset
     * they reached. Each mark is a commit (an fsync on MySQL/MariaDB), which is why a sink whose writes are
     * idempotent marks in groups (docs/benchmarks.md); a crash between write and mark repeats at most a group.
     */
    void markConfirmed(SyncRun run) {
        // a mark that failed in the background puts its keys back among the confirmed ones, marked here
        awaitMarking(run);
        List<SyncedKey> keys = run.confirmed();
        try {
            if (!keys.isEmpty()) {
                retries().run(run.syncName() + ": marking " + keys.size() + " keys as synced",
                        () -> state.syncedKeys(run.syncName()).markSynced(keys, run.runId()));
            }
            String offset = run.confirmedOffset();
            // held after a rejection until the run ends (SyncRun.holdsOffset); saved then with the next marks
            if (offset != null && !run.holdsOffset()) {
                retries().run(run.syncName() + ": saving the offset", () -> state.offsets().save(run.syncName(), offset, run.runId()));
                run.setConfirmedOffset(null);
                if (run.paging().windows() != null) {
                    run.setSavedWindowPosition(java.time.Instant.parse(offset));
                }
            }
        } catch (RuntimeException e) {
            // the target has the rows; unmarked, they are written again (idempotently) by the next run
            throw new SinkFailedException(keys.size() + " rows were written but could not be marked as synced: " + e.getMessage());
        }
        run.marked(keys);
        keys.clear();
    }

    /** Calls the sink route; touches neither the run nor the state, so it may run on another thread. */
    private Outcome write(SyncRun run, String sinkUri, List<Batch.Row> rows) {
        Outcome outcome = new Outcome(rows, new ArrayList<>(rows.size()), new ArrayList<>());
        write(run, sinkUri, rows, outcome);
        return outcome;
    }

    private void write(SyncRun run, String sinkUri, List<Batch.Row> rows, Outcome outcome) {
        List<Object> bodies = new ArrayList<>(rows.size());
        List<String> keys = new ArrayList<>(rows.size());
        for (Batch.Row row : rows) {
            bodies.add(row.body());
            keys.add(row.key());
        }
        Exchange out = template().send(sinkUri, ex -> {
            ex.setProperty(SyncRun.PROPERTY, run);
            ex.getIn().setBody(bodies);
            ex.getIn().setHeader("FerrySync", run.syncName());
            ex.getIn().setHeader(Batch.KEYS_HEADER, keys);
        });
        Exception failure = out.getException();
        if (failure == null) {
            @SuppressWarnings("unchecked")
            List<RowResult> results = out.getMessage().getHeader(RowResult.HEADER, List.class);
            for (int i = 0; i < rows.size(); i++) {
                Batch.Row row = rows.get(i);
                RowResult result = results == null ? RowResult.delivered(i, null) : resultFor(results, i);
                if (result.delivered()) {
                    outcome.delivered().add(new SyncedKey(row.key(), row.contentHash(), result.targetRef()));
                } else {
                    outcome.rejected().add(new Rejection(row, "io.ferry.pipeline.RowRejected", result.message(), result.attempts()));
                }
            }
            return;
        }
        Failure kind = Failure.of(failure);
        if (kind == Failure.CONFIGURATION) {
            // credentials refused, a setting missing, or a target that says the sync is set up wrong: no row is at
            // fault, every row would fail the same way, and it is not asked again
            throw RunCompletion.find(failure, ConfigurationException.class);
        }
        if (kind == Failure.TRANSIENT) {
            throw new SinkFailedException("sink " + sinkUri + " failed for a batch of " + rows.size() + " rows: "
                    + RunCompletion.describe(failure));
        }
        if (rows.size() == 1) {
            outcome.rejected().add(new Rejection(rows.get(0), failure.getClass().getName(), RunCompletion.describe(failure), 1));
            return;
        }
        LOG.info("{}: sink refused a batch of {} ({}); writing its rows one by one", run.syncName(), rows.size(),
                RunCompletion.describe(failure));
        for (Batch.Row row : rows) {
            write(run, sinkUri, List.of(row), outcome);
        }
    }

    private static RowResult resultFor(List<RowResult> results, int index) {
        for (RowResult r : results) {
            if (r.index() == index) {
                return r;
            }
        }
        return RowResult.rejected(index, "the sink reported no outcome for this row");
    }

    private void reject(SyncRun run, Batch.Row row, String errorClass, String message, int attempts) {
        state.deadLetters().add(run.syncName(), run.runId(), row.key(), Stage.SINK, Records.toJson(row.body()),
                errorClass, message, attempts);
        run.rejected(message + " (" + run.settings().keyField() + "=" + row.key() + ")");
        LOG.warn("{}: the target rejected {}: {}", run.syncName(), row.key(), message);
    }

    private StateWriteRetries retries() {
        if (retries == null) {
            retries = StateWriteRetries.of(camel);
        }
        return retries;
    }

    private ProducerTemplate template() {
        if (template == null) {
            template = camel.createProducerTemplate();
        }
        return template;
    }
}
