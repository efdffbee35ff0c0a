package io.ferry.kernel.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a source says it has no more pages, as a list of clauses tried in order; the first one the answer can answer
 * decides:
 * <ul>
 * <li>{@code hasNext:<path>} a boolean (or "true"/"false", 1/0) at the path;</li>
 * <li>{@code total:<path>} the number of records the source has;</li>
 * <li>{@code pages:<path>} the number of pages it has;</li>
 * <li>{@code cursor:<path>} the cursor of the next page: none (absent, null, empty) ends;</li>
 * <li>{@code link} an HTTP {@code Link} header with {@code rel="next"} (RFC 8288): none ends;</li>
 * <li>{@code short} a page with fewer records than the page size ends;</li>
 * <li>{@code empty} only an empty page ends.</li>
 * </ul>
 * An empty page always ends, whatever the clauses say (Paging's own guard), and so does a page identical to the one
 * before it.
 */
public final class EndSignal {

    enum Kind {
        HAS_NEXT, TOTAL, PAGES, CURSOR, LINK, SHORT, EMPTY
    }

    record Clause(Kind kind, JsonPath path) {
    }

    /** What one answer says: whether more pages follow, the source's total when given, and the next cursor. */
    public record Reading(boolean more, Long total, String nextCursor, boolean sourceEmpty) {
    }

    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]*)>\\s*;[^,]*rel\\s*=\\s*\"?next\"?", Pattern.CASE_INSENSITIVE);

    private final String text;
    private final List<Clause> clauses;

    private EndSignal(String text, List<Clause> clauses) {
        this.text = text;
        this.clauses = clauses;
    }

    public static EndSignal parse(String text) {
        List<Clause> clauses = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int colon = p.indexOf(':');
            String name = (colon < 0 ? p : p.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
            String path = colon < 0 ? null : p.substring(colon + 1).strip();
            Kind kind = switch (name) {
            case "hasnext", "has_next", "hasmore" -> Kind.HAS_NEXT;
            case "total" -> Kind.TOTAL;
            case "pages", "pagecount" -> Kind.PAGES;
            case "cursor", "nextcursor" -> Kind.CURSOR;
            case "link" -> Kind.LINK;
            case "short" -> Kind.SHORT;
            case "empty" -> Kind.EMPTY;
            default -> throw new IllegalArgumentException("endSignal: unknown clause '" + p
                    + "' (expected hasNext:<path>, total:<path>, pages:<path>, cursor:<path>, link, short or empty)");
            };
            boolean needsPath = kind == Kind.HAS_NEXT || kind == Kind.TOTAL || kind == Kind.PAGES || kind == Kind.CURSOR;
            if (needsPath && (path == null || path.isEmpty())) {
                throw new IllegalArgumentException("endSignal: '" + p + "' needs the path of its field, e.g. " + name + ":data.has_next");
            }
            if (!needsPath && path != null) {
                throw new IllegalArgumentException("endSignal: '" + p + "' takes no path");
            }
            clauses.add(new Clause(kind, needsPath ? JsonPath.parse(path) : null));
        }
        if (clauses.isEmpty()) {
            throw new IllegalArgumentException("endSignal is empty");
        }
        return new EndSignal(text, List.copyOf(clauses));
    }

    /** True when a clause reads the next cursor from the answer or the Link header. */
    public boolean givesCursor() {
        return clauses.stream().anyMatch(c -> c.kind() == Kind.CURSOR || c.kind() == Kind.LINK);
    }

    /**
     * Reads one answer.
     *
     * @param recordsBefore records of the pages before this one (for total)
     * @param size          records on this page; -1 when not known yet (the source-empty check before extracting)
     * @param pageIndex     pages before this one, for a page count
     */
    public Reading read(Object body, Map<String, List<String>> headers, long recordsBefore, int size, int pageSize, int pageIndex) {
        Long total = null;
        boolean sourceEmpty = false;
        for (Clause c : clauses) {
            if (c.kind() == Kind.TOTAL) {
                Long t = number(c.path().find(body));
                if (t != null && total == null) {
                    total = t;
                    sourceEmpty = t == 0;
                }
            }
        }
        for (Clause c : clauses) {
            switch (c.kind()) {
            case HAS_NEXT -> {
                Boolean b = bool(c.path().find(body));
                if (b != null) {
                    return new Reading(b, total, null, sourceEmpty);
                }
            }
            case TOTAL -> {
                if (total != null) {
                    return new Reading(recordsBefore + Math.max(size, 0) < total && size != 0, total, null, sourceEmpty);
                }
            }
            case PAGES -> {
                Long pages = number(c.path().find(body));
                if (pages != null) {
                    return new Reading(pageIndex + 1 < pages, total, null, sourceEmpty || pages == 0);
                }
            }
            case CURSOR -> {
                Object v = c.path().find(body);
                String next = v == JsonPath.MISSING || v == null || v instanceof Map || v instanceof List ? null : String.valueOf(v);
                boolean more = next != null && !next.isBlank();
                return new Reading(more, total, more ? next : null, sourceEmpty);
            }
            case LINK -> {
                String next = nextLink(headers);
                return new Reading(next != null, total, next, sourceEmpty);
            }
            case SHORT -> {
                return new Reading(size >= pageSize, total, null, sourceEmpty);
            }
            case EMPTY -> {
                return new Reading(size != 0, total, null, sourceEmpty);
            }
            }
        }
        // no clause could answer (their fields are absent): a short page ends, as most APIs mean
        return new Reading(size >= pageSize, total, null, sourceEmpty);
    }

    /** The URL of {@code rel="next"} in the Link headers, or null. */
    static String nextLink(Map<String, List<String>> headers) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (!"link".equalsIgnoreCase(e.getKey())) {
                continue;
            }
            for (String value : e.getValue()) {
                Matcher m = NEXT_LINK.matcher(value);
                if (m.find()) {
                    return m.group(1).strip();
                }
            }
        }
        return null;
    }

    private static Long number(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s && s.strip().matches("\\d+")) {
            return Long.parseLong(s.strip());
        }
        return null;
    }

    private static Boolean bool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.intValue() != 0;
        }
        if (v instanceof String s) {
            String t = s.strip().toLowerCase(Locale.ROOT);
            if (t.equals("true") || t.equals("1")) {
                return true;
            }
            if (t.equals("false") || t.equals("0")) {
                return false;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return text;
    }
}
