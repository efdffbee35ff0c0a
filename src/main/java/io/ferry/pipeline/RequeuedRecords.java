package io.ferry.pipeline;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.kernel.ConfigurationException;
import io.ferry.kernel.SinkFailedException;
import io.ferry.mapping.JsonataMapping;
import io.ferry.state.FerryState;
import io.ferry.state.ReconcileQueueRepository.Queued;
import io.ferry.state.SyncedKeyRepository.SyncedKey;

/**
 * Delivers, at the start of a run, the records a reconcile's repair re-queued for it ({@code ferry_reconcile_queue}),
 * before the source's first page: mapped by the sync's own mapping ({@link MapProducer#map}) with the key's target
 * reference (a "different" record updates the row its mark names; a "missing" one's reference was dropped by the repair,
 * so it is created again), written in batches through the sync's sink route by the {@link BatchWriter} a run uses (rows
 * the target refuses are dead-lettered), marked, and only then taken off the queue. A crash before the marks leaves them
 * queued and the target's idempotent writes take them again; one after the marks leaves them queued but marked by a run
 * after their reconcile, and the next run takes them off without writing them (nothing is written twice).
 */
final class RequeuedRecords {

    private static final Logger LOG = LoggerFactory.getLogger(RequeuedRecords.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamelContext camel;
    private final FerryState state;
    private volatile SyncPlan plan;
    private volatile JsonataMapping mapping;

    RequeuedRecords(CamelContext camel, FerryState state) {
        this.camel = camel;
        this.state = state;
    }

    /** Delivers the sync's queued records in this run; a failure fails the run (not the step: it is not tried again). */
    void deliver(SyncRun run) {
        List<Queued> queued = state.reconcileQueue().queued(run.syncName());
        if (queued.isEmpty()) {
            return;
        }
        try {
            deliver(run, queued);
        } catch (SinkFailedException | ConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            // a retried ferry:start would open a second run: the run fails, the records stay queued for the next one
            throw new SinkFailedException("the " + queued.size() + " record(s) re-queued by reconcile could not be delivered: "
                    + RunCompletion.describe(e));
        }
    }

    private void deliver(SyncRun run, List<Queued> queued) {
        SyncPlan p = plan(run.syncName());
        LOG.info("{}: run {} first delivers {} record(s) re-queued by reconcile", run.syncName(), run.runId(), queued.size());
        BatchWriter writer = new BatchWriter(camel, state);
        DeadLetters deadLetters = new DeadLetters(state);
        Batch batch = new Batch(p.sink(), p.batchSize(), 1, Integer.MAX_VALUE);
        List<String> done = new ArrayList<>(queued.size());
        int skipped = 0;
        run.addRead(queued.size());
        for (Queued q : queued) {
            if (q.deliveredSince()) {
                skipped++;
                done.add(q.key());
                continue;
            }
            Object record;
            try {
                record = JSON.readValue(q.payload(), Object.class);
            } catch (Exception e) {
                record = q.payload();
            }
            run.addTried(1);
            String targetRef = q.targetRef();
            MapProducer.Mapped m = MapProducer.map(mapping, run.settings(), record,
                    key -> targetRef == null ? null : new SyncedKey(key, null, targetRef));
            if (m.rejection() != null) {
                // kept as a dead letter, with the mapping's reason, where it can be replayed
                deadLetters.reject(run, m.key() != null ? m.key() : q.key(), record, m.rejection());
                done.add(q.key());
                continue;
            }
            run.pendingKeys().add(m.row().key());
            if (batch.add(m.row())) {
                writer.flush(run, batch);
            }
            done.add(q.key());
        }
        if (!batch.isEmpty()) {
            writer.flush(run, batch);
        }
        // marked before they leave the queue: a crash in between leaves them queued and marked (taken off next time)
        writer.markConfirmed(run);
        run.addSkipped(skipped);
        state.reconcileQueue().remove(run.syncName(), done);
        run.checkErrorLimit();
    }

    private SyncPlan plan(String sync) {
        SyncPlan p = plan;
        if (p == null) {
            p = SyncPlan.fromRoutes(camel).get(sync);
            if (p == null) {
                throw new ConfigurationException(sync + ": no ferry:aggregate sink in its route; its re-queued records cannot be delivered");
            }
            mapping = p.mapping() == null ? null : JsonataMapping.load(p.mapping());
            plan = p;
        }
        return p;
    }
}
