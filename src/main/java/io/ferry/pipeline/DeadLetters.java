package io.ferry.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.kernel.Records;
import io.ferry.state.DeadLetterRepository.Stage;
import io.ferry.state.FerryState;

/** Puts a record that cannot be delivered as it is (no key, a mapping that fails on it) in the dead-letter table. */
class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final FerryState state;

    DeadLetters(FerryState state) {
        this.state = state;
    }

    void reject(SyncRun run, String key, Object record, String why) {
        state.deadLetters().add(run.syncName(), run.runId(), key, Stage.RECORD, Records.toJson(record),
                "io.ferry.pipeline.RecordRejected", why, 1);
        run.rejected(why);
        if (key != null) {
            run.pendingKeys().remove(key);
        }
        LOG.warn("{}: record {} dead-lettered: {}", run.syncName(), key == null ? "(no key)" : key, why);
    }
}
