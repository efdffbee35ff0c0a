package io.ferry.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ferry.reconcile.RowComparison.FieldDifference;

/**
 * What one reconcile found: the source records it read and the target rows, and every record that is missing from the
 * target, extra in it or different there, by kind, with the reason of each. The differences are the missing, extra and
 * different records; records the mapping rejected are listed but were not compared.
 *
 * @param runId   its run in the run history (kind 'reconcile'), or null when it was not recorded
 * @param from    the start of the window compared, for a sync read by time window; else null
 * @param to      the end of that window; else null
 * @param repair  what --repair did; null when it was not asked for
 */
public record Reconciliation(String sync, Long runId, Instant from, Instant to, int sourceRecords, int targetRows,
        Map<Kind, List<Finding>> findings, Repair repair) {

    /** The kinds of findings, as named in ferry_reconcile_finding, the JSON output and the metrics. */
    public enum Kind {
        /** in the source, marked synced, absent from the target */
        MISSING_DELIVERED("missing-delivered"),
        /** in the source, never marked: the next run writes it */
        MISSING_NOT_DELIVERED("missing-not-delivered"),
        /** in the source, never marked, an open dead letter */
        MISSING_DEAD_LETTERED("missing-dead-lettered"),
        /** in the target, not in the source */
        EXTRA("extra"),
        /** in both, the content differs */
        DIFFERENT("different"),
        /** in the source, its mapping rejected it: not compared */
        REJECTED("rejected");

        public final String label;

        Kind(String label) {
            this.label = label;
        }

        public boolean missing() {
            return this == MISSING_DELIVERED || this == MISSING_NOT_DELIVERED || this == MISSING_DEAD_LETTERED;
        }
    }

    /**
     * One record found.
     *
     * @param detail why it is here, in words ("marked synced by run 12", "open dead letter 7: …")
     * @param fields for a different record, the fields that differ
     * @param record the source record as read (what a repair queues); null for an extra row
     */
    public record Finding(String key, String detail, List<FieldDifference> fields, Object record) {
    }

    /**
     * What a repair did: {@code queued} records re-queued for the next run, or {@code refused} why nothing was (the sync
     * was running, or a run started after this reconcile read the target).
     */
    public record Repair(int queued, Long edit, String refused) {
    }

    public Reconciliation {
        Map<Kind, List<Finding>> all = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            all.put(k, List.copyOf(findings.getOrDefault(k, List.of())));
        }
        findings = all;
    }

    public List<Finding> of(Kind kind) {
        return findings.get(kind);
    }

    public int count(Kind kind) {
        return findings.get(kind).size();
    }

    public int missing() {
        return count(Kind.MISSING_DELIVERED) + count(Kind.MISSING_NOT_DELIVERED) + count(Kind.MISSING_DEAD_LETTERED);
    }

    /** Missing, extra and different records (rejected ones are not compared, so not counted). */
    public int differences() {
        return missing() + count(Kind.EXTRA) + count(Kind.DIFFERENT);
    }

    /** The run status it is recorded with: {@code succeeded} (in agreement) or {@code differs}. */
    public String status() {
        return differences() == 0 ? "succeeded" : "differs";
    }

    /** One line: "1000 source records, 998 target rows: 3 missing (3 delivered), 1 extra, 2 different". */
    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append(sourceRecords).append(" source record(s), ").append(targetRows).append(" target row(s): ");
        if (differences() == 0) {
            s.append("in agreement");
        } else {
            s.append(missing()).append(" missing (").append(count(Kind.MISSING_DELIVERED)).append(" delivered, ")
                    .append(count(Kind.MISSING_NOT_DELIVERED)).append(" not delivered yet, ").append(count(Kind.MISSING_DEAD_LETTERED))
                    .append(" dead-lettered), ").append(count(Kind.EXTRA)).append(" extra, ").append(count(Kind.DIFFERENT))
                    .append(" different");
        }
        if (count(Kind.REJECTED) > 0) {
            s.append("; ").append(count(Kind.REJECTED)).append(" rejected by the mapping (not compared)");
        }
        return s.toString();
    }

    /** The findings of one kind as JSON-ready samples: at most {@code samples} of them. */
    public List<Map<String, Object>> samples(Kind kind, int samples) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Finding f : of(kind)) {
            if (out.size() >= samples) {
                break;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", f.key());
            m.put("detail", f.detail());
            if (!f.fields().isEmpty()) {
                List<Map<String, Object>> fields = new ArrayList<>();
                for (FieldDifference d : f.fields()) {
                    Map<String, Object> fm = new LinkedHashMap<>();
                    fm.put("field", d.field());
                    fm.put("source", plain(d.source()));
                    fm.put("target", plain(d.target()));
                    fields.add(fm);
                }
                m.put("fields", fields);
            }
            out.add(m);
        }
        return out;
    }

    /** The whole result as a JSON-ready map (samples cut at {@code samples} per kind). */
    public Map<String, Object> toMap(int samples) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sync", sync);
        m.put("run", runId);
        if (from != null) {
            m.put("window", Map.of("from", from.toString(), "to", to.toString()));
        }
        m.put("sourceRecords", sourceRecords);
        m.put("targetRows", targetRows);
        m.put("result", differences() == 0 ? "in-agreement" : "differences");
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("missing", missing());
        for (Kind k : Kind.values()) {
            counts.put(k.label, count(k));
        }
        m.put("counts", counts);
        Map<String, Object> s = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            s.put(k.label, samples(k, samples));
        }
        m.put("samples", s);
        if (repair != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("queued", repair.queued());
            r.put("edit", repair.edit());
            r.put("refused", repair.refused());
            m.put("repair", r);
        }
        return m;
    }

    /** A value as JSON shows it: times and numbers from a database as their text. */
    static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            return v;
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime().toString().replace('T', ' ');
        }
        if (v instanceof java.math.BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Map || v instanceof List) {
            return v;
        }
        return v.toString();
    }
}
