package io.ferry.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.kernel.ConfigurationException;
import io.ferry.kernel.Records;
import io.ferry.config.SyncConfiguration;
import io.ferry.state.DeadLetterRepository.DeadLetter;
import io.ferry.state.DeadLetterRepository.Stage;
import io.ferry.deadletter.DeadLetterService;
import io.ferry.mapping.JsonataMapping;
import io.ferry.state.FerryState;
import io.ferry.state.RunRepository;
import io.ferry.state.SyncedKeyRepository.SyncedKey;

/**
 * Replays dead letters through their sync's own mapping and sink, with the same dedup rule as a run: a key that
 * is synced meanwhile is not sent again. A replay is a run of its own kind (status and counts in the run table) and
 * never overlaps a run of the same sync. An unreadable page cannot be replayed: the next run that reads the source
 * to its end closes it.
 */
public class DeadLetterReplayer implements DeadLetterService {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplayer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamelContext camel;
    private final FerryState state;
    private final SyncRegistry syncs;
    private Map<String, SyncPlan> plans;

    public DeadLetterReplayer(CamelContext camel, FerryState state, SyncRegistry syncs) {
        this.camel = camel;
        this.state = state;
        this.syncs = syncs;
    }

    @Override
    public int replay(String sync) {
        int delivered = 0;
        List<String> names = sync == null ? syncs.names() : List.of(sync);
        for (String name : names) {
            if (sync == null && configurationProblem(name) != null) {
                LOG.warn("{}: its dead letters are not replayed: it is {}", name, configurationProblem(name));
                continue;
            }
            delivered += replayAll(name, state.deadLetters().open(name));
        }
        return delivered;
    }

    @Override
    public int replay(String sync, List<Long> ids) {
        List<DeadLetter> letters = new ArrayList<>();
        for (long id : ids) {
            DeadLetter dl = state.deadLetters().find(id);
            if (dl != null && "open".equals(dl.status()) && sync.equals(dl.syncName())) {
                letters.add(dl);
            }
        }
        return letters.isEmpty() ? 0 : replayAll(sync, letters);
    }

    @Override
    public boolean replayOne(long id) {
        DeadLetter dl = state.deadLetters().find(id);
        if (dl == null || !"open".equals(dl.status())) {
            return false;
        }
        return replayAll(dl.syncName(), List.of(dl)) == 1;
    }

    @Override
    public boolean discard(long id, String reason) {
        return state.deadLetters().resolve(id, "discarded", reason == null || reason.isBlank() ? "discarded" : reason);
    }

    /**
     * Replays the letters as a run of kind {@value RunRepository#REPLAY}: {@code succeeded} only when every letter it
     * tried was delivered (or found synced meanwhile), else {@code failed} with how many stayed open and why. Pages
     * are not tried; with nothing else to replay no run is written at all.
     */
    private int replayAll(String sync, List<DeadLetter> letters) {
        SyncSettings settings = syncs.syncs().get(sync);
        SyncPlan plan = plan(sync);
        if (settings == null || plan == null) {
            throw new IllegalArgumentException("no sync route named '" + sync + "' with a ferry:aggregate sink is loaded");
        }
        List<DeadLetter> records = new ArrayList<>(letters.size());
        for (DeadLetter dl : letters) {
            if (dl.stage() == Stage.PAGE) {
                LOG.info("{}: dead letter {} is a page; it is closed by the next run that reads the source to its end", sync, dl.id());
            } else {
                records.add(dl);
            }
        }
        if (records.isEmpty()) {
            LOG.info("{}: nothing to replay", sync);
            return 0;
        }
        if (configurationProblem(sync) != null) {
            // its sink's routes are stopped, and its target lacks a setting: nothing could be delivered
            throw new ConfigurationException(sync + " is " + configurationProblem(sync));
        }
        if (!syncs.tryStart(sync)) {
            throw new io.ferry.deadletter.SyncRunningException(sync + " is running; replay its dead letters when the run has ended");
        }
        SyncRun run = new SyncRun(settings, state.runs().open(sync, state.node(), RunRepository.REPLAY), RunRepository.REPLAY);
        run.setOpenDeadLetters(true);
        BatchWriter writer = new BatchWriter(camel, state);
        JsonataMapping mapping = plan.mapping() == null ? null : JsonataMapping.load(plan.mapping());
        int delivered = 0;
        String firstReason = null;
        try {
            for (DeadLetter dl : records) {
                run.addRead(1);
                replayOne(run, writer, plan, mapping, dl);
                DeadLetter after = state.deadLetters().find(dl.id());
                if (!"open".equals(after.status())) {
                    delivered++;
                } else if (firstReason == null) {
                    firstReason = "dead letter " + dl.id() + ": " + after.errorMessage();
                }
            }
        } catch (RuntimeException e) {
            run.close(state, syncs, "failed", "replay stopped after " + delivered + " of " + records.size()
                    + " dead letter(s) delivered: " + RunCompletion.describe(e));
            syncs.finished(sync);
            throw e;
        }
        try {
            if (delivered == records.size()) {
                run.close(state, syncs, "succeeded", "replay delivered " + delivered + " dead letter(s)");
            } else {
                run.close(state, syncs, "failed", "replay delivered " + delivered + " of " + records.size()
                        + " dead letter(s); " + (records.size() - delivered) + " still open, e.g. " + firstReason);
            }
        } finally {
            syncs.finished(sync);
        }
        LOG.info("{}: replayed {} dead letter(s): {} delivered", sync, records.size(), delivered);
        return delivered;
    }

    /** {@code not configured: …} when the sync lacks a setting, else null. */
    private String configurationProblem(String sync) {
        SyncConfiguration configuration = camel.getRegistry().lookupByNameAndType(SyncConfiguration.BEAN, SyncConfiguration.class);
        return configuration == null ? null : configuration.message(sync);
    }

    @SuppressWarnings("unchecked")
    private void replayOne(SyncRun run, BatchWriter writer, SyncPlan plan, JsonataMapping mapping, DeadLetter dl) {
        Object payload;
        try {
            payload = JSON.readValue(dl.payload(), Object.class);
        } catch (Exception e) {
            state.deadLetters().retried(dl.id(), "payload is not JSON: " + e.getMessage());
            run.addFailed(1);
            return;
        }
        Object row = payload;
        String key = dl.key();
        String hash = null;
        if (dl.stage() == Stage.RECORD) {
            Map<String, Object> record = payload instanceof Map ? (Map<String, Object>) payload : null;
            key = record == null ? null : Records.field(record, run.settings().keyField());
            if (key == null || mapping == null) {
                state.deadLetters().retried(dl.id(), record == null ? "record is not a JSON object" : "record has no " + run.settings().keyField());
                run.addFailed(1);
                return;
            }
            hash = Records.contentHash(record);
            try {
                row = mapping.apply(record, key, null, run.syncName());
            } catch (JsonataMapping.MappingException e) {
                state.deadLetters().retried(dl.id(), e.getMessage());
                run.addFailed(1);
                return;
            }
        }
        Map<String, SyncedKey> synced = state.syncedKeys(run.syncName()).findSynced(List.of(key));
        if (synced.containsKey(key) && !run.settings().updateChanged()) {
            state.deadLetters().resolve(dl.id(), "replayed", "already synced; not sent again");
            run.addSkipped(1);
            return;
        }
        Batch batch = new Batch(plan.sink(), 1, 1, 1);
        batch.add(new Batch.Row(key, hash, row, null));
        writer.flush(run, batch);
    }

    private synchronized SyncPlan plan(String sync) {
        if (plans == null) {
            plans = SyncPlan.fromRoutes(camel);
        }
        return plans.get(sync);
    }
}
