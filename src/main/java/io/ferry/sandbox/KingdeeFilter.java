package io.ferry.sandbox;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulator's reading of ExecuteBillQuery's FilterString and OrderString (protocols.md §1.7): the text form
 * {@code FNumber = 'X' and FModifyDate >= '2024-05-01 00:00:00' and FModifyDate < '…'} (=, <>, !=, >=, <=, >, <,
 * IN (…), conditions joined by AND, each optionally in parentheses), or the array of {FieldName, Compare, Value,
 * Logic}; and {@code FModifyDate DESC, FNumber}. Values compare as times when both sides read as times, as numbers
 * when both are numbers, else as text. A syntax it does not take is an error (MsgCode 4 on the wire, as real servers
 * answer a filter they cannot read).
 */
final class KingdeeFilter {

    private static final Pattern CONDITION = Pattern.compile(
            "\\s*([A-Za-z_][\\w.]*)\\s*(>=|<=|<>|!=|=|>|<|\\s(?i:in)\\s)\\s*(.+?)\\s*");
    private static final Pattern LITERAL = Pattern.compile("\\s*(?:'((?:[^']|'')*)'|([\\w.:-]+))\\s*(?:,|$)");

    private KingdeeFilter() {
    }

    static Predicate<Map<String, Object>> parse(Object filterString, Predicate<String> knows) {
        if (filterString == null || (filterString instanceof String s && s.isBlank())) {
            return c -> true;
        }
        if (filterString instanceof List<?> conditions) {
            return parseArray(conditions, knows);
        }
        Predicate<Map<String, Object>> all = c -> true;
        for (String part : String.valueOf(filterString).split("(?i)\\s+and\\s+")) {
            Matcher m = CONDITION.matcher(part);
            if (!m.matches() && part.trim().startsWith("(") && part.trim().endsWith(")")) {
                String inner = part.trim();
                m = CONDITION.matcher(inner.substring(1, inner.length() - 1));
            }
            if (!m.matches()) {
                throw new IllegalArgumentException("过滤条件语法错误：" + part);
            }
            String field = m.group(1);
            if (!knows.test(field)) {
                throw new IllegalArgumentException("元数据中标识为" + field + "的字段不存在");
            }
            String op = m.group(2).trim().toLowerCase(Locale.ROOT);
            List<String> values = literals(m.group(3), op.equals("in"));
            all = all.and(condition(field, op, values));
        }
        return all;
    }

    private static Predicate<Map<String, Object>> condition(String field, String op, List<String> values) {
        return switch (op) {
        case "in", "=" -> c -> values.stream().anyMatch(v -> same(value(c, field), v));
        case "<>", "!=" -> c -> !same(value(c, field), values.get(0));
        case ">=" -> c -> value(c, field) != null && compare(value(c, field), values.get(0)) >= 0;
        case "<=" -> c -> value(c, field) != null && compare(value(c, field), values.get(0)) <= 0;
        case ">" -> c -> value(c, field) != null && compare(value(c, field), values.get(0)) > 0;
        case "<" -> c -> value(c, field) != null && compare(value(c, field), values.get(0)) < 0;
        default -> throw new IllegalArgumentException("过滤条件的比较符" + op + "不受支持");
        };
    }

    private static Predicate<Map<String, Object>> parseArray(List<?> conditions, Predicate<String> knows) {
        Predicate<Map<String, Object>> all = null;
        boolean or = false;
        for (Object o : conditions) {
            String field = str(named(o, "FieldName"));
            String compare = str(named(o, "Compare"));
            Object value = named(o, "Value");
            if (field == null || !knows.test(field)) {
                throw new IllegalArgumentException("元数据中标识为" + field + "的字段不存在");
            }
            // "=" or Kingdee's enum value 67 (等于) — which codes real servers take is unconfirmed
            boolean equal = compare == null || compare.equals("=") || compare.equals("==") || compare.equals("67");
            boolean notEqual = compare != null && (compare.equals("<>") || compare.equals("!=") || compare.equals("83"));
            if (!equal && !notEqual) {
                throw new IllegalArgumentException("过滤条件的比较符" + compare + "不受支持");
            }
            Predicate<Map<String, Object>> one = c -> same(value(c, field), String.valueOf(value));
            Predicate<Map<String, Object>> cond = notEqual ? one.negate() : one;
            all = all == null ? cond : or ? all.or(cond) : all.and(cond);
            String logic = str(named(o, "Logic"));
            or = logic != null && (logic.equals("1") || logic.equalsIgnoreCase("or"));
        }
        return all == null ? c -> true : all;
    }

    /** OrderString {@code FModifyDate DESC, FNumber}; by the inner id when empty. */
    static Comparator<Map<String, Object>> order(String orderString, Predicate<String> knows, String idField) {
        Comparator<Map<String, Object>> byId = Comparator.comparing(c -> new BigDecimal(String.valueOf(c.get(idField))));
        if (orderString == null || orderString.isBlank()) {
            return byId;
        }
        Comparator<Map<String, Object>> order = null;
        for (String part : orderString.split(",")) {
            String[] words = part.trim().split("\\s+");
            String field = words[0];
            if (!knows.test(field) || words.length > 2) {
                throw new IllegalArgumentException(knows.test(field) ? "排序条件语法错误：" + part : "元数据中标识为" + field + "的字段不存在");
            }
            boolean desc = words.length == 2 && words[1].equalsIgnoreCase("desc");
            if (words.length == 2 && !desc && !words[1].equalsIgnoreCase("asc")) {
                throw new IllegalArgumentException("排序条件语法错误：" + part);
            }
            Comparator<Map<String, Object>> one = (a, b) -> compareValues(value(a, field), value(b, field));
            one = desc ? one.reversed() : one;
            order = order == null ? one : order.thenComparing(one);
        }
        return order.thenComparing(byId);
    }

    /** A field of a stored row; {@code FCreateOrgId.FNumber} reaches into a reference, a reference alone is its number. */
    static Object value(Map<String, Object> c, String key) {
        int dot = key.indexOf('.');
        if (dot < 0) {
            Object v = c.get(key);
            return v instanceof Map ? named(v, "FNumber") : v;
        }
        return named(c.get(key.substring(0, dot)), key.substring(dot + 1));
    }

    private static int compareValues(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return compare(a, String.valueOf(b));
    }

    /** Equal as text (a number '001' is not '1'), or as times written differently. */
    private static boolean same(Object stored, String literal) {
        String s = String.valueOf(stored);
        if (s.equals(literal)) {
            return true;
        }
        LocalDateTime ts = time(s);
        LocalDateTime tl = time(literal);
        return ts != null && ts.equals(tl);
    }

    /** A stored value against a literal: as times, as numbers, else as text. */
    static int compare(Object stored, String literal) {
        if (stored == null) {
            return literal == null ? 0 : -1;
        }
        String s = String.valueOf(stored);
        LocalDateTime ts = time(s);
        LocalDateTime tl = time(literal);
        if (ts != null && tl != null) {
            return ts.compareTo(tl);
        }
        BigDecimal ns = number(s);
        BigDecimal nl = number(literal);
        if (ns != null && nl != null) {
            return ns.compareTo(nl);
        }
        return s.compareTo(literal);
    }

    private static LocalDateTime time(String s) {
        String t = s.trim();
        if (!t.matches("\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?)?")) {
            return null;
        }
        try {
            return t.length() == 10 ? LocalDate.parse(t).atStartOfDay() : LocalDateTime.parse(t.replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static BigDecimal number(String s) {
        try {
            return s.trim().matches("-?\\d+(\\.\\d+)?") ? new BigDecimal(s.trim()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<String> literals(String text, boolean list) {
        String t = text.trim();
        if (list) {
            if (!t.startsWith("(") || !t.endsWith(")")) {
                throw new IllegalArgumentException("过滤条件语法错误：" + text);
            }
            t = t.substring(1, t.length() - 1);
        }
        List<String> out = new ArrayList<>();
        Matcher m = LITERAL.matcher(t);
        int at = 0;
        while (at < t.length() && m.find(at) && m.start() == at) {
            out.add(m.group(1) != null ? m.group(1).replace("''", "'") : m.group(2));
            at = m.end();
            if (m.end() == m.start()) {
                break;
            }
        }
        if (out.isEmpty() || at < t.length() || (!list && out.size() > 1)) {
            throw new IllegalArgumentException("过滤条件语法错误：" + text);
        }
        return out;
    }

    private static Object named(Object map, String key) {
        if (map instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (String.valueOf(e.getKey()).equalsIgnoreCase(key)) {
                    return e.getValue();
                }
            }
        }
        return null;
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
