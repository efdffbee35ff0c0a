package io.ferry.connector.jsonapi;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

import io.ferry.kernel.source.JsonPath;

/**
 * When a push's answer means "delivered": the value at {@code successPath} (a JSON pointer or dotted path) is one of
 * {@code successValues} (comma-separated), compared as text: a JSON string as it is, a number in its plain form
 * ({@code 0}, {@code 0.0} and {@code "0"} all read {@code 0}), {@code true}/{@code false}, {@code null}. Without a
 * path every 2xx answer delivers.
 */
final class SuccessPredicate {

    private final JsonPath path;
    private final List<String> values;

    private SuccessPredicate(JsonPath path, List<String> values) {
        this.path = path;
        this.values = values;
    }

    static SuccessPredicate of(String successPath, String successValue) {
        if (successPath == null || successPath.isBlank()) {
            if (successValue != null && !successValue.isBlank()) {
                throw new IllegalArgumentException("successValue needs successPath, the field of the answer it is compared with");
            }
            return new SuccessPredicate(null, List.of());
        }
        if (successValue == null || successValue.isBlank()) {
            throw new IllegalArgumentException("successPath needs successValue, the value(s) of " + successPath + " that mean delivered");
        }
        return new SuccessPredicate(JsonPath.parse(successPath), Arrays.stream(successValue.split(",")).map(String::strip).toList());
    }

    /** True when any 2xx answer delivers (its body is not read). */
    boolean anyAnswer() {
        return path == null;
    }

    /** The value the answer has at the path, as text; null when it has none (or no path is set). */
    String valueIn(Object answer) {
        if (path == null) {
            return null;
        }
        Object v = path.find(answer);
        return v == JsonPath.MISSING ? null : text(v);
    }

    boolean test(Object answer) {
        if (path == null) {
            return true;
        }
        String v = valueIn(answer);
        return v != null && values.contains(v);
    }

    String path() {
        return path == null ? null : path.toString();
    }

    static String text(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Number n) {
            try {
                BigDecimal d = new BigDecimal(n.toString()).stripTrailingZeros();
                return d.signum() == 0 ? "0" : d.toPlainString();
            } catch (NumberFormatException e) {
                return n.toString();
            }
        }
        return String.valueOf(v);
    }

    @Override
    public String toString() {
        return path == null ? "any 2xx answer" : path + " in " + values;
    }
}
