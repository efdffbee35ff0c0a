package io.ferry.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.model.RouteDefinition;

/**
 * A templated route's parameters put into the text of its definition. Camel resolves them only when the route is
 * built, from the route's own template context; what reads the route model before that (the settings check, replay)
 * sees {@code {{sync}}} as written.
 */
public final class TemplateParameters {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]+)}}");

    private TemplateParameters() {
    }

    /** The text with each {@code {{name}}} that names one of the route's template parameters replaced by its value. */
    public static String apply(RouteDefinition route, String text) {
        Map<String, Object> parameters = route.getTemplateParameters();
        if (text == null || parameters == null || parameters.isEmpty() || !text.contains("{{")) {
            return text;
        }
        // a parameter's value may hold another parameter or a property placeholder: a few rounds settle it
        String out = text;
        for (int round = 0; round < 3; round++) {
            Matcher m = PLACEHOLDER.matcher(out);
            StringBuilder sb = new StringBuilder();
            boolean changed = false;
            while (m.find()) {
                Object value = parameters.get(m.group(1).strip());
                if (value != null) {
                    m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf(value)));
                    changed = true;
                } else {
                    m.appendReplacement(sb, Matcher.quoteReplacement(m.group()));
                }
            }
            m.appendTail(sb);
            out = sb.toString();
            if (!changed) {
                break;
            }
        }
        return out;
    }
}
