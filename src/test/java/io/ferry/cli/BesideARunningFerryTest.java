package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.state.DeadLetterRepository.Stage;
import io.ferry.sandbox.JushuitanSimulator;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * {@code replay}, {@code discard} and {@code status} beside a running Ferry that holds the management and console
 * ports and is in the middle of a run: they do their job, take no port, and leave its run alone.
 */
class BesideARunningFerryTest {

    private static final String SYNC = "jst-shops-to-mysql";

    @Test
    void replayDiscardAndStatusWorkWhileFerryRuns() throws Exception {
        int management = FerryHarness.freePort();
        try (FerryHarness f = new FerryHarness(Db.H2, 10).with("ferry.management.port", String.valueOf(management)).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            assertThat(live(management)).isEqualTo(200);
            long inProgress = f.state().runs().open(SYNC, f.state().node());
            long replayable = f.state().deadLetters().add(SYNC, null, "10000099", Stage.RECORD,
                    new ObjectMapper().writeValueAsString(JushuitanSimulator.shop(99)), "X", "the target was down", 1);
            long unwanted = f.state().deadLetters().add(SYNC, null, "10000098", Stage.RECORD, "{}", "X", "no key", 1);
            Map<String, String> same = f.properties();

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
            assertThat(ReplayCommand.replay(null, replayable, same, print)).isZero();
            assertThat(DiscardCommand.discard(unwanted, "a test record", same, print)).isZero();
            assertThat(StatusCommand.status(List.of(SYNC), print, same)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("dead letter " + replayable + " delivered")
                    .contains("dead letter " + unwanted + " discarded").contains(SYNC);

            assertThat(f.count("SELECT COUNT(*) FROM bi_shop WHERE shop_id = 10000099")).isEqualTo(1);
            assertThat(f.state().deadLetters().open(SYNC)).isEmpty();
            // the running Ferry's run is still its own, not closed as abandoned by a command beside it
            assertThat(f.state().runs().find(inProgress).status()).isEqualTo("running");
            assertThat(live(management)).isEqualTo(200);
        }
    }

    private static int live(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/live")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
