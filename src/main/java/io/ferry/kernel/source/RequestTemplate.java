package io.ferry.kernel.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A source's request parameters: a JSON object whose string values may hold placeholders, {@code ${page}},
 * {@code ${pageSize}}, {@code ${offset}}, {@code ${cursor}}, and those the run adds (a time window's
 * {@code ${windowStart}} and {@code ${windowEnd}}). A value that is exactly one placeholder takes the value's type
 * (a number stays a number) and is left out when the value is not known yet (no cursor on the first page); a
 * placeholder inside a longer text is replaced by its text.
 */
public final class RequestTemplate {

    /** The placeholders every source knows. */
    public static final Set<String> POSITION = Set.of("page", "pageSize", "offset", "cursor");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9_]*)}");
    private static final Pattern WHOLE = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9_]*)}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> template;

    private RequestTemplate(Map<String, Object> template) {
        this.template = template;
    }

    /** Parses a JSON object; null or blank is the empty object. */
    public static RequestTemplate parse(String json) {
        if (json == null || json.isBlank()) {
            return new RequestTemplate(Map.of());
        }
        try {
            return new RequestTemplate(JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            }));
        } catch (Exception e) {
            throw new IllegalArgumentException("the request parameters are not a JSON object: " + e.getMessage(), e);
        }
    }

    /** This template with {@code over}'s keys put over it (a route's parameters over the connector's defaults). */
    public RequestTemplate with(RequestTemplate over) {
        Map<String, Object> m = new LinkedHashMap<>(template);
        m.putAll(over.template);
        return new RequestTemplate(m);
    }

    /** The placeholders used, for a check when the route starts. */
    public Set<String> placeholders() {
        Set<String> names = new TreeSet<>();
        collect(template, names);
        return names;
    }

    /** Fails naming the placeholders that are not among {@code known}. */
    public void check(Set<String> known) {
        Set<String> unknown = new TreeSet<>(placeholders());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("the request parameters use " + unknown.stream().map(n -> "${" + n + "}").toList()
                    + ", which this source does not know (known: " + new TreeSet<>(known).stream().map(n -> "${" + n + "}").toList() + ")");
        }
    }

    /** The parameters with every placeholder replaced; a value not in {@code values} (or null) leaves its key out. */
    public Map<String, Object> render(Map<String, ?> values) {
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) renderValue(template, values);
        return out;
    }

    private static Object renderValue(Object v, Map<String, ?> values) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object r = renderValue(e.getValue(), values);
                if (r != ABSENT) {
                    out.put(String.valueOf(e.getKey()), r);
                }
            }
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                Object r = renderValue(o, values);
                if (r != ABSENT) {
                    out.add(r);
                }
            }
            return out;
        }
        if (v instanceof String s && s.contains("${")) {
            Matcher whole = WHOLE.matcher(s);
            if (whole.matches()) {
                Object value = values.get(whole.group(1));
                return value == null ? ABSENT : value;
            }
            Matcher m = PLACEHOLDER.matcher(s);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                Object value = values.get(m.group(1));
                m.appendReplacement(sb, Matcher.quoteReplacement(value == null ? "" : String.valueOf(value)));
            }
            m.appendTail(sb);
            return sb.toString();
        }
        return v;
    }

    private static void collect(Object v, Set<String> names) {
        if (v instanceof Map<?, ?> m) {
            m.values().forEach(o -> collect(o, names));
        } else if (v instanceof List<?> l) {
            l.forEach(o -> collect(o, names));
        } else if (v instanceof String s) {
            Matcher m = PLACEHOLDER.matcher(s);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
    }

    private static final Object ABSENT = new Object();
}
