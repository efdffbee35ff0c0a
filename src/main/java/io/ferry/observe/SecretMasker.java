package io.ferry.observe;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.camel.spi.PropertiesComponent;

/**
 * The safety net behind each vendor client's own masking: replaces the value of every configured secret (any
 * property or environment variable whose name ends in secret, password or token) with {@code ***} wherever it
 * appears in text that Ferry stores or sends (API-call log, alerts).
 */
public class SecretMasker {

    public static final String MASK = "***";

    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(secret|password|token)$");
    /** shorter values would mask ordinary text; no real secret is this short */
    private static final int MIN_LENGTH = 4;

    private final List<String> secrets;

    public SecretMasker(Set<String> values) {
        Set<String> all = new LinkedHashSet<>();
        for (String v : values) {
            if (v != null && v.strip().length() >= MIN_LENGTH) {
                all.add(v);
                // form bodies and query strings carry the URL-encoded form of a value
                all.add(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        }
        // the longest first, so that a secret containing another is masked whole
        this.secrets = all.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** The secrets configured in Camel's properties (files, overrides, initial) and in the environment. */
    public static SecretMasker from(PropertiesComponent props, Map<String, String> env) {
        Set<String> names = new LinkedHashSet<>();
        Properties loaded = props.loadProperties();
        loaded.stringPropertyNames().forEach(names::add);
        Set<String> values = new LinkedHashSet<>();
        for (String name : names) {
            if (isSecretName(name)) {
                try {
                    props.resolveProperty(name).ifPresent(values::add);
                } catch (RuntimeException e) {
                    // an unresolvable placeholder is no secret we could find in a body
                }
            }
        }
        env.forEach((k, v) -> {
            if (isSecretName(k)) {
                values.add(v);
            }
        });
        return new SecretMasker(values);
    }

    static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name.strip()).matches();
    }

    public String mask(String text) {
        if (text == null || text.isEmpty() || secrets.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : secrets) {
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        return out;
    }

    /** The length of the longest value masked (0 when there is none). */
    public int longest() {
        return secrets.isEmpty() ? 0 : secrets.get(0).length();
    }

    int size() {
        return secrets.size();
    }
}
