package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.ferry.sandbox.Sandbox;

/** What {@code ferry sync} prints under its table, run as the command runs: from a configuration file. */
class SyncCommandSummaryTest {

    private static final String SYNC = "jellyfish-test-mapping";

    @Test
    void aRunThatRejectedRecordsIsNeverSummarisedAsNothingNewToWrite() throws Exception {
        Path dir = Path.of("target", "sync-command-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectories(dir);
        try (Sandbox sandbox = new Sandbox(1)) {
            StringBuilder config = new StringBuilder(Files.readString(Path.of("application.properties")));
            // one record, which the mapping rejects: below errorLimitMinRecords the run succeeds, with nothing written
            Map<String, String> overrides = new java.util.LinkedHashMap<>(sandbox.properties());
            overrides.put("ferry.state.url", "jdbc:h2:file:./" + dir + "/ferry;MODE=MySQL;DATABASE_TO_LOWER=TRUE");
            overrides.put("camel.main.routes-include-pattern",
                    "file:routes/ferry-sync.yaml,file:routes/ferry-templates.yaml,file:src/test/resources/routes-errorlimit/jellyfish-test-mapping.yaml");
            overrides.put("ferry.test.mapping", "src/test/resources/routes-errorlimit/jellyfish-amount-of-customer.jsonata");
            overrides.forEach((k, v) -> config.append('\n').append(k).append(" = ").append(v));
            Path file = dir.resolve("application.properties");
            Files.writeString(file, config.append('\n'));

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String before = System.getProperty("ferry.config");
            System.setProperty("ferry.config", file.toString());
            int rc;
            try {
                rc = SyncCommand.runOnce(java.util.Map.of(), List.of(SYNC), new PrintStream(out, true, StandardCharsets.UTF_8));
            } finally {
                if (before == null) {
                    System.clearProperty("ferry.config");
                } else {
                    System.setProperty("ferry.config", before);
                }
            }
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(rc).isZero();
            assertThat(printed.lines().filter(l -> l.startsWith(SYNC)).findFirst().orElseThrow().split("\\s+"))
                    .containsSequence("succeeded", "2", "1", "0", "0", "1"); // pages, read, skipped, written, failed
            assertThat(printed).doesNotContain("nothing new to write");
        }
    }
}
