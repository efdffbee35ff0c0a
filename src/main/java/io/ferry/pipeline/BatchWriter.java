package io.ferry.pipeline;

import java.io.IOException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.deadletter.DeadLetterRepository.Stage;
import io.ferry.state.FerryState;
import io.ferry.state.SyncedKeyRepository.SyncedKey;

/**
 * Writes a batch through its sink route and records each row's outcome: confirmed rows are marked synced (one
 * batched statement), rejected rows are dead-lettered with the target's message.
 * <p>
 * When the sink fails the batch as a whole: a transient failure (connection lost, timeout, 5xx) that outlasted
 * the sink route's retries fails the run and marks nothing; any other failure (a row the database refuses) is
 * narrowed down by writing the rows one at a time, so one bad row does not keep nineteen good ones out.
 */
class BatchWriter {

    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

    /**
     * Confirmed keys are marked in groups of this many rather than after every batch: each mark is a commit
     * (an fsync on MySQL/MariaDB), and a commit per batch of 20 nearly halved the rows/s of a JDBC sync
     * (docs/benchmarks.md). Marks still follow the target's confirmation; a crash between the two means at
     * most this many upserts are repeated by the next run.
     */
    static final int MARK_EVERY = 100;

    private final CamelContext camel;
    private final FerryState state;
    private ProducerTemplate template;

    BatchWriter(CamelContext camel, FerryState state) {
        this.camel = camel;
        this.state = state;
    }

    void flushAll(SyncRun run) {
        for (Batch batch : run.batches()) {
            if (!batch.isEmpty()) {
                flush(run, batch);
            }
        }
    }

    void flush(SyncRun run, Batch batch) {
        List<Batch.Row> rows = batch.drain();
        List<SyncedKey> delivered = new ArrayList<>(rows.size());
        List<String> deliveredKeys = new ArrayList<>(rows.size());
        write(run, batch.sinkUri(), rows, delivered, deliveredKeys);
        run.addWritten(delivered.size());
        if (run.hasOpenDeadLetters() && !deliveredKeys.isEmpty()) {
            state.deadLetters().resolveDelivered(run.syncName(), deliveredKeys, "delivered by run " + run.runId());
        }
        if (delivered.size() < rows.size()) {
            // rejected rows are dead-lettered already; only confirmed keys wait for their mark
            Set<String> confirmed = new HashSet<>(deliveredKeys);
            for (Batch.Row row : rows) {
                if (!confirmed.contains(row.key())) {
                    run.pendingKeys().remove(row.key());
                }
            }
        }
        run.confirmed().addAll(delivered);
        if (run.settings().offsetField() != null) {
            String last = rows.get(rows.size() - 1).offset();
            if (last != null) {
                // every row up to this one is now delivered or dead-lettered
                run.setConfirmedOffset(last);
            }
        }
        if (run.confirmed().size() >= MARK_EVERY) {
            markConfirmed(run);
        }
    }

    /**
     * Marks the keys the target confirmed since the last mark (one batched statement) and then stores the offset
     * they reached. Called every {@value #MARK_EVERY} confirmed keys, at the end of a run, and when a run fails.
     */
    void markConfirmed(SyncRun run) {
        List<SyncedKey> keys = run.confirmed();
        if (!keys.isEmpty()) {
            state.syncedKeys(run.syncName()).markSynced(keys, run.runId());
            for (SyncedKey k : keys) {
                run.pendingKeys().remove(k.key());
            }
            keys.clear();
        }
        String offset = run.confirmedOffset();
        if (offset != null) {
            state.offsets().save(run.syncName(), offset, run.runId());
            run.setConfirmedOffset(null);
        }
    }

    private void write(SyncRun run, String sinkUri, List<Batch.Row> rows, List<SyncedKey> delivered, List<String> deliveredKeys) {
        List<Object> bodies = new ArrayList<>(rows.size());
        for (Batch.Row row : rows) {
            bodies.add(row.body());
        }
        Exchange out = template().send(sinkUri, ex -> {
            ex.setProperty(SyncRun.PROPERTY, run);
            ex.getIn().setBody(bodies);
            ex.getIn().setHeader("FerrySync", run.syncName());
        });
        Exception failure = out.getException();
        if (failure == null) {
            @SuppressWarnings("unchecked")
            List<RowResult> results = out.getMessage().getHeader(RowResult.HEADER, List.class);
            for (int i = 0; i < rows.size(); i++) {
                Batch.Row row = rows.get(i);
                RowResult result = results == null ? RowResult.delivered(i, null) : resultFor(results, i);
                if (result.delivered()) {
                    delivered.add(new SyncedKey(row.key(), row.contentHash(), result.targetRef()));
                    deliveredKeys.add(row.key());
                } else {
                    reject(run, row, "io.ferry.pipeline.RowRejected", result.message());
                }
            }
            return;
        }
        if (isTransient(failure)) {
            throw new SinkFailedException("sink " + sinkUri + " failed for a batch of " + rows.size() + " rows: "
                    + RunCompletion.describe(failure), failure);
        }
        if (rows.size() == 1) {
            reject(run, rows.get(0), failure.getClass().getName(), RunCompletion.describe(failure));
            return;
        }
        LOG.info("{}: sink refused a batch of {} ({}); writing its rows one by one", run.syncName(), rows.size(),
                RunCompletion.describe(failure));
        for (Batch.Row row : rows) {
            write(run, sinkUri, List.of(row), delivered, deliveredKeys);
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

    private void reject(SyncRun run, Batch.Row row, String errorClass, String message) {
        state.deadLetters().add(run.syncName(), run.runId(), row.key(), Stage.SINK, Records.toJson(row.body()),
                errorClass, message, 1);
        run.addFailed(1);
        LOG.warn("{}: the target rejected {}: {}", run.syncName(), row.key(), message);
    }

    /** Failures worth trying again later; anything else is about the rows themselves. */
    static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransientException || t instanceof IOException || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException || t instanceof SQLNonTransientConnectionException
                    || t instanceof io.ferry.state.StateException) {
                return true;
            }
            String name = t.getClass().getName();
            if (name.startsWith("org.springframework.dao.Transient") || name.equals("org.springframework.dao.DataAccessResourceFailureException")
                    || name.equals("org.springframework.jdbc.CannotGetJdbcConnectionException")) {
                return true;
            }
        }
        return false;
    }

    private ProducerTemplate template() {
        if (template == null) {
            template = camel.createProducerTemplate();
        }
        return template;
    }
}
