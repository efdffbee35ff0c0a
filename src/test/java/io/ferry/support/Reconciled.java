package io.ferry.support;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.cli.ReconcileCommand;

/**
 * {@code ferry reconcile SYNC [--window W] --format json} in this JVM: a sync's source read again and compared, by
 * key and content, with what its target holds. Tests check a target's exact content with it.
 *
 * @param exitCode 0 in agreement, 1 differences
 * @param report   the JSON report: sourceRecords, targetRows, counts (missing, extra, different …), samples
 */
public record Reconciled(int exitCode, JsonNode report) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param window START/END, or null for the sync's whole span; @param properties as {@code FerryApp}'s */
    public static Reconciled of(String sync, String window, Map<String, String> properties) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int rc = ReconcileCommand.reconcile(sync, window, false, 5, true, "tester", properties,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Reconciled(rc, JSON.readTree(bytes.toString(StandardCharsets.UTF_8)));
    }

    public int sourceRecords() {
        return report.get("sourceRecords").asInt();
    }

    public int targetRows() {
        return report.get("targetRows").asInt();
    }

    /** One of the report's counts: missing, extra, different … */
    public int count(String kind) {
        return report.get("counts").get(kind).asInt();
    }

    @Override
    public String toString() {
        return report.toPrettyString();
    }
}
