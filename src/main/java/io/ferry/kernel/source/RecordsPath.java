package io.ferry.kernel.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.ferry.kernel.SourceException;

/**
 * Where a source's records are in its answer. A path that finds nothing in an answer that is not empty is an error
 * naming the path and the keys that are there (a query whose records sit under another name would otherwise read 0
 * records and end as if the source were empty); it is allowed only when the end signal says the source has no
 * records at all (a total of 0), since some APIs leave the list out then.
 */
public final class RecordsPath {

    private final JsonPath path;

    public RecordsPath(String path) {
        this.path = JsonPath.parse(path);
    }

    /**
     * The records of one answer, each a JSON object.
     *
     * @param sourceEmpty the answer's own count says there is nothing (then a missing list is an empty page)
     * @param what        the call, for messages ("jushuitan /open/orders/single/query page 3")
     * @param raw         the answer's text, kept with the error
     */
    public List<Map<String, Object>> records(Object answer, boolean sourceEmpty, String what, String raw) {
        return records(answer, sourceEmpty, what, () -> raw);
    }

    /** As above, with the answer's text made only when an error keeps it. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> records(Object answer, boolean sourceEmpty, String what, java.util.function.Supplier<String> raw) {
        Object found = path.find(answer);
        if (found == JsonPath.MISSING || found == null) {
            if (sourceEmpty || isEmpty(answer)) {
                return List.of();
            }
            throw new SourceException(what + ": the records path '" + path + "' finds nothing in the answer; the answer has "
                    + describeKeys(answer) + (path.isRoot() ? "" : describeParent(answer))
                    + " (set the source's records parameter to where the records are)", raw.get());
        }
        if (!(found instanceof List<?> list)) {
            throw new SourceException(what + ": the records path '" + path + "' finds " + kind(found)
                    + ", not a list of records" + (found instanceof Map<?, ?> m ? " (its keys: " + new TreeSet<>(keys(m)) + ")" : ""), raw.get());
        }
        List<Map<String, Object>> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new SourceException(what + ": record " + i + " at '" + path + "' is " + kind(list.get(i))
                        + ", not a JSON object", raw.get());
            }
            out.add((Map<String, Object>) m);
        }
        return out;
    }

    private String describeParent(Object answer) {
        Object parent = path.parentIn(answer);
        if (parent instanceof Map<?, ?> m && parent != answer) {
            return "; the object that should hold it has " + new TreeSet<>(keys(m));
        }
        return "";
    }

    private static String describeKeys(Object answer) {
        return answer instanceof Map<?, ?> m ? "the top-level keys " + new TreeSet<>(keys(m)) : kind(answer) + " at the top";
    }

    private static List<String> keys(Map<?, ?> m) {
        return m.keySet().stream().map(String::valueOf).toList();
    }

    private static boolean isEmpty(Object answer) {
        return answer == null || answer instanceof Map<?, ?> m && m.isEmpty() || answer instanceof List<?> l && l.isEmpty();
    }

    static String kind(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "a list";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Number) {
            return "a number";
        }
        return v.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
