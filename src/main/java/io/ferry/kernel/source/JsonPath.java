package io.ferry.kernel.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A place in a JSON answer: a JSON pointer ({@code /data/orders}, RFC 6901) or a dotted path ({@code data.orders});
 * the empty path or {@code /} is the answer itself. List items are reached by index ({@code /0/rows}).
 */
public final class JsonPath {

    private final String text;
    private final List<String> parts;

    private JsonPath(String text, List<String> parts) {
        this.text = text;
        this.parts = parts;
    }

    public static JsonPath parse(String text) {
        String t = text == null ? "" : text.strip();
        List<String> parts = new ArrayList<>();
        if (t.startsWith("/")) {
            for (String p : t.substring(1).split("/", -1)) {
                if (!p.isEmpty()) {
                    parts.add(p.replace("~1", "/").replace("~0", "~"));
                }
            }
        } else if (!t.isEmpty() && !t.equals("$")) {
            for (String p : (t.startsWith("$.") ? t.substring(2) : t).split("\\.")) {
                if (p.isEmpty()) {
                    throw new IllegalArgumentException("'" + text + "' is not a path: an empty part between dots");
                }
                parts.add(p);
            }
        }
        return new JsonPath(t, List.copyOf(parts));
    }

    /** The value at this path, or {@link #MISSING} when a part of it is absent. */
    public Object find(Object root) {
        Object v = root;
        for (String p : parts) {
            if (v instanceof Map<?, ?> m) {
                if (!m.containsKey(p)) {
                    return MISSING;
                }
                v = m.get(p);
            } else if (v instanceof List<?> l && p.chars().allMatch(Character::isDigit) && Integer.parseInt(p) < l.size()) {
                v = l.get(Integer.parseInt(p));
            } else {
                return MISSING;
            }
        }
        return v;
    }

    /** The object that holds the last part (for naming its keys in an error), or the root. */
    public Object parentIn(Object root) {
        return parts.isEmpty() ? root : new JsonPath(text, parts.subList(0, parts.size() - 1)).find(root);
    }

    public boolean isRoot() {
        return parts.isEmpty();
    }

    @Override
    public String toString() {
        return text.isEmpty() ? "/" : text;
    }

    /** Absent, as opposed to a JSON null. */
    public static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "(missing)";
        }
    };
}
