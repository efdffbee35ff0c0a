package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** {@code ferry state show} names the records a reconcile's repair queued for the next run, until that run took them. */
class StateShowRequeuedTest {

    private static final String SYNC = "jst-shops-to-mysql";

    @Test
    void showsTheQueueUntilTheNextRunTookIt() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 20).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            f.runSync(SYNC);
            f.sql().update("DELETE FROM bi_shop WHERE shop_id IN (10000001, 10000002)");
            assertThat(ReconcileCommand.reconcile(SYNC, null, true, 10, false, "tester", f.properties(), quiet()))
                    .isEqualTo(ReconcileCommand.DIFFERENCES);
            assertThat(show(f, StateShowCommand.Format.text)).contains("re-queued     2 record(s) queued by a reconcile's repair");
            assertThat(new ObjectMapper().readTree(show(f, StateShowCommand.Format.json)).get("requeued").asInt()).isEqualTo(2);
            assertThat(f.runSync(SYNC).written()).isEqualTo(2);
            assertThat(show(f, StateShowCommand.Format.text)).doesNotContain("re-queued");
        }
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static String show(FerryHarness f, StateShowCommand.Format format) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StateShowCommand.show(SYNC, format, f.properties(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
