package io.ferry.reconcile;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Compares the row a sync would write now with the row the target holds, field by field, after making the values of both
 * sides comparable (docs/preview-and-reconcile.md):
 * <ul>
 * <li>nested objects are flattened to dotted names ({@code FCreateOrgId.FNumber}), the name a Kingdee query gives the
 * field; names match case-insensitively (a database may answer {@code SHOP_ID});</li>
 * <li>only the fields both rows have are compared, or the {@code reconcileFields} given; a field absent on one side
 * is not a difference;</li>
 * <li>null, an absent value and the empty string are the same;</li>
 * <li>numbers compare by value whatever their type or text: {@code 12}, {@code "12"}, {@code 12.50} and
 * {@code "12.5"}, and a boolean as 1 or 0;</li>
 * <li>times compare as the wall-clock time they name: a {@code DATETIME} read back, {@code "2026-11-01 08:00:00"} and
 * {@code "2026-11-01T08:00:00.000"} are equal; a time with an offset is first put into the comparison's zone (the
 * target's, {@code reconcileZone}); a date alone is midnight;</li>
 * <li>any other value compares as its text, exactly (no trimming: a trailing space is a difference).</li>
 * </ul>
 */
public final class RowComparison {

    /** One field whose values differ: the mapped row's and the target's, as they were before normalising. */
    public record FieldDifference(String field, Object source, Object target) {
    }

    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd().append(DateTimeFormatter.ISO_LOCAL_TIME).toFormatter(Locale.ROOT);

    private final List<String> fields;
    private final ZoneId zone;

    /**
     * @param fields the fields to compare (reconcileFields); empty: every field both rows have
     * @param zone   the zone a time with an offset is read in (the zone the target keeps its wall-clock times in)
     */
    public RowComparison(List<String> fields, ZoneId zone) {
        this.fields = List.copyOf(fields);
        this.zone = zone;
    }

    /** The fields that differ, in the mapped row's order; empty when the rows agree. */
    public List<FieldDifference> compare(Map<String, ?> mapped, Map<String, ?> target) {
        Map<String, Object> source = flatten(mapped);
        Map<String, Object> stored = new LinkedHashMap<>();
        Map<String, String> storedNames = new LinkedHashMap<>();
        flatten(target).forEach((k, v) -> {
            stored.put(k.toLowerCase(Locale.ROOT), v);
            storedNames.put(k.toLowerCase(Locale.ROOT), k);
        });
        List<String> names = new ArrayList<>();
        if (fields.isEmpty()) {
            for (String name : source.keySet()) {
                if (stored.containsKey(name.toLowerCase(Locale.ROOT))) {
                    names.add(name);
                }
            }
        } else {
            names.addAll(fields);
        }
        List<FieldDifference> out = new ArrayList<>();
        Map<String, Object> sourceLower = new LinkedHashMap<>();
        source.forEach((k, v) -> sourceLower.put(k.toLowerCase(Locale.ROOT), v));
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            Object a = sourceLower.get(lower);
            Object b = stored.get(lower);
            if (!same(a, b)) {
                out.add(new FieldDifference(name, a, b));
            }
        }
        return out;
    }

    /** Whether two values are the same after normalising (the class comment). */
    public boolean same(Object a, Object b) {
        Object x = normal(a);
        Object y = normal(b);
        if (x == null || y == null) {
            return x == y;
        }
        if (x instanceof BigDecimal p && y instanceof BigDecimal q) {
            return p.compareTo(q) == 0;
        }
        return Objects.equals(x, y);
    }

    /** A value made comparable: null, a BigDecimal, a LocalDateTime or a String. */
    Object normal(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        if (v instanceof Number n) {
            try {
                return new BigDecimal(n.toString());
            } catch (NumberFormatException e) {
                return n.toString(); // NaN, Infinity
            }
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime();
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().atStartOfDay();
        }
        if (v instanceof LocalDateTime t) {
            return t;
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        if (v instanceof OffsetDateTime t) {
            return t.atZoneSameInstant(zone).toLocalDateTime();
        }
        if (v instanceof Instant t) {
            return LocalDateTime.ofInstant(t, zone);
        }
        if (v instanceof java.util.Date d) {
            return LocalDateTime.ofInstant(d.toInstant(), zone);
        }
        String s = String.valueOf(v);
        if (s.isEmpty()) {
            return null;
        }
        if (looksNumeric(s)) {
            try {
                return new BigDecimal(s);
            } catch (NumberFormatException e) {
                return s;
            }
        }
        if (s.length() >= 10 && Character.isDigit(s.charAt(0)) && s.charAt(4) == '-') {
            LocalDateTime t = time(s);
            if (t != null) {
                return t;
            }
        }
        return s;
    }

    private LocalDateTime time(String s) {
        try {
            return OffsetDateTime.parse(s.replace(' ', 'T')).atZoneSameInstant(zone).toLocalDateTime();
        } catch (DateTimeParseException e) {
            // no offset: a wall-clock time as it is
        }
        try {
            return LocalDateTime.parse(s, LOCAL);
        } catch (DateTimeParseException e) {
            // not a date and time
        }
        try {
            return LocalDate.parse(s).atStartOfDay();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A plain decimal number (no leading zero but before the point, so that codes such as 007 stay text). */
    private static boolean looksNumeric(String s) {
        if (!s.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?")) {
            return false;
        }
        return s.length() < 40;
    }

    /** Nested objects as dotted names, in order; lists are kept as values. */
    static Map<String, Object> flatten(Map<String, ?> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        flatten("", row, out);
        return out;
    }

    private static void flatten(String prefix, Map<?, ?> row, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : row.entrySet()) {
            String name = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested && !nested.isEmpty()) {
                flatten(name + ".", nested, out);
            } else {
                out.put(name, e.getValue());
            }
        }
    }
}
