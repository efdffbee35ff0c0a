package io.ferry.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.ferry.cli.StatusCommand;
import io.ferry.state.DeadLetterRepository.Stage;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** {@code ferry status} beside a running Ferry, on the embedded H2 file database that the default configuration uses. */
class StatusCommandTest {

    @Test
    void showsEachSyncsLastRunAndOpenDeadLettersWhileFerryRuns() throws Exception {
        // the default URL's form: a file database with AUTO_SERVER, so a second process can read it while Ferry runs
        String url = "jdbc:h2:file:./target/status-" + UUID.randomUUID().toString().substring(0, 8)
                + "/ferry;MODE=MySQL;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE";
        try (FerryHarness f = new FerryHarness(Db.H2, 120).with("ferry.state.url", url).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            // the same configuration as the running Ferry: its vendors' settings too, so that every sync is configured
            Map<String, String> props = new HashMap<>(f.sandbox().properties());
            props.putAll(Map.of("ferry.state.url", url, "ferry.state.username", "sa", "ferry.state.password", ""));

            Out none = run(props);
            assertThat(none.text()).contains("no sync has run yet");

            assertThat(f.runSync("jst-shops-to-mysql").status()).isEqualTo("succeeded");
            f.state().deadLetters().add("jst-shops-to-mysql", null, "k1", Stage.RECORD, "{}", "X", "bad", 1);
            Out after = run(props);
            assertThat(after.rc()).isZero();
            String line = after.text().lines().filter(l -> l.startsWith("jst-shops-to-mysql")).findFirst().orElseThrow();
            assertThat(line.split("\\s+")).containsSequence("succeeded").endsWith("120", "0", "120", "0", "1");

            f.sandbox().jushuitan().overridePage(1, 500, "text/plain", "maintenance");
            assertThat(f.runSync("jst-shops-to-mysql").status()).isEqualTo("failed");
            Out failed = run(props);
            assertThat(failed.rc()).isEqualTo(1);
            assertThat(failed.text()).contains("failed").contains("HTTP 500");
        }
    }

    record Out(int rc, String text) {
    }

    private static Out run(Map<String, String> props) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = StatusCommand.status(List.of(), new PrintStream(buf, true, StandardCharsets.UTF_8), props);
        return new Out(rc, buf.toString(StandardCharsets.UTF_8));
    }
}
