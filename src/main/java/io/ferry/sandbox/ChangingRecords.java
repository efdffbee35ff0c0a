package io.ferry.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The records of a simulated query by modified time (Jushuitan's orders, Wangdiantong's trades): each record is a list
 * of versions ordered by their {@code modified} field ({@code yyyy-MM-dd HH:mm:ss}, China time), and a query sees a
 * record's latest version whose modified time plus the replica lag has passed (the vendors read from replicas).
 * Not thread-safe: its simulator holds its own lock around every use.
 */
final class ChangingRecords {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private final String keyField;
    /** key → its versions, oldest first */
    private final TreeMap<Long, List<Map<String, Object>>> versions = new TreeMap<>();
    private Duration replicaLag = Duration.ZERO;

    /** @param keyField the field that holds a record's key, which orders records modified at the same time */
    ChangingRecords(String keyField) {
        this.keyField = keyField;
    }

    static String format(Instant t) {
        return TIME.format(t.atZone(CHINA));
    }

    static Instant parse(String text) {
        return LocalDateTime.parse(text, TIME).atZone(CHINA).toInstant();
    }

    void replicaLag(Duration lag) {
        this.replicaLag = lag;
    }

    /** A new record, with its first version. */
    void add(long key, Map<String, Object> first) {
        versions.put(key, new ArrayList<>(List.of(first)));
    }

    /** Another version of a record, put in order by its modified time. */
    void addVersion(long key, Map<String, Object> next) {
        List<Map<String, Object>> v = versions.get(key);
        v.add(next);
        v.sort(Comparator.comparing(m -> (String) m.get("modified")));
    }

    /** The key after the highest one held, or {@code first} when there is none. */
    long nextKey(long first) {
        return versions.isEmpty() ? first : Math.max(first, versions.lastKey() + 1);
    }

    boolean contains(long key) {
        return versions.containsKey(key);
    }

    int count() {
        return versions.size();
    }

    /** How many versions the record has (the first one included). */
    int versionCount(long key) {
        return versions.get(key).size();
    }

    /** The record's latest version, visible or not; null for a key it does not hold. */
    Map<String, Object> latest(long key) {
        List<Map<String, Object>> v = versions.get(key);
        return v == null ? null : v.get(v.size() - 1);
    }

    /** Every record as a query sees it at {@code now}. */
    List<Map<String, Object>> current(Instant now) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (List<Map<String, Object>> v : versions.values()) {
            Map<String, Object> seen = asOf(v, now);
            if (seen != null) {
                out.add(seen);
            }
        }
        return out;
    }

    /**
     * The records a query sees at {@code now} whose modified time lies in {@code [begin, end]} (both bounds inclusive),
     * ordered by modified time, then key: the live data a page is cut from.
     */
    List<Map<String, Object>> modifiedBetween(Instant begin, Instant end, Instant now) {
        List<Map<String, Object>> hits = new ArrayList<>();
        for (Map<String, Object> seen : current(now)) {
            Instant m = parse((String) seen.get("modified"));
            if (!m.isBefore(begin) && !m.isAfter(end)) {
                hits.add(seen);
            }
        }
        hits.sort(Comparator.comparing((Map<String, Object> m) -> (String) m.get("modified"))
                .thenComparing(m -> ((Number) m.get(keyField)).longValue()));
        return hits;
    }

    /** The latest version visible at {@code now}, or null while none is. */
    private Map<String, Object> asOf(List<Map<String, Object>> v, Instant now) {
        Map<String, Object> seen = null;
        for (Map<String, Object> m : v) {
            if (!parse((String) m.get("modified")).plus(replicaLag).isAfter(now)) {
                seen = m;
            }
        }
        return seen;
    }
}
