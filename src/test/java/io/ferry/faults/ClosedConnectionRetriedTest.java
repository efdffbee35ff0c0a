package io.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.ClosedConnectionSink;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * A connection the database dropped under a sink's statement ("Connection is closed", as camel-sql throws it) is a
 * transient failure like any lost connection: the batch is written again, not the run failed at once.
 */
class ClosedConnectionRetriedTest {

    private static final String DIR = "src/test/resources/routes-closed-connection/";

    @Test
    void aBatchWhoseConnectionWasClosedIsWrittenAgain() throws Exception {
        ClosedConnectionSink.CALLS.set(0);
        ClosedConnectionSink.FAILED.set(0);
        try (FerryHarness f = new FerryHarness(Db.H2, 300)
                .withRoutes("file:routes/ferry-sync.yaml,file:routes/ferry-templates.yaml,file:" + DIR + "jst-shops-closed-connection.yaml").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            RunRecord run = f.runSync("jst-shops-closed-connection");
            assertThat(run.status()).as(run.error()).isEqualTo("succeeded");
            assertThat(run.written()).isEqualTo(300);
            assertThat(run.failed()).isZero();
            assertThat(ClosedConnectionSink.FAILED.get()).as("batches whose connection was closed").isGreaterThanOrEqualTo(5);
        }
    }
}
