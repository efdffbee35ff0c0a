package io.ferry.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ferry's {@code application.properties}: where it is, and which environment variable each property is read from
 * (its {@code {{env:NAME:default}}} placeholder), so that a message about a setting can name both without a
 * second table of names to keep in step.
 */
public final class ConfigFile {

    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?}}");
    private static final Pattern REFERENCE = Pattern.compile("^\\{\\{([^{}:]+)}}$");

    private final Map<String, String> values;

    private ConfigFile(Map<String, String> values) {
        this.values = values;
    }

    /** The file Ferry reads: system property {@code ferry.config}, else {@code FERRY_CONFIG}, else application.properties. */
    public static String location() {
        return System.getProperty("ferry.config", System.getenv().getOrDefault("FERRY_CONFIG", "application.properties"));
    }

    /**
     * Files read after {@link #location()}, whose properties win over it: system property {@code ferry.config.extra},
     * else {@code FERRY_CONFIG_EXTRA}, comma-separated; none by default. A deployment adds its cluster service this
     * way (deploy/), keeping the shipped application.properties as it is.
     */
    public static java.util.List<String> extraLocations() {
        String extra = System.getProperty("ferry.config.extra", System.getenv().getOrDefault("FERRY_CONFIG_EXTRA", ""));
        return java.util.Arrays.stream(extra.split(",")).map(String::strip).filter(f -> !f.isEmpty()).toList();
    }

    /** The file at {@link #location()}; a file that cannot be read names no variables. */
    public static ConfigFile load() {
        return load(Path.of(location()));
    }

    public static ConfigFile load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            return new ConfigFile(Map.of());
        }
        Map<String, String> values = new HashMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).trim()));
        return new ConfigFile(values);
    }

    /**
     * The environment variable the property's value comes from, following a value that is only a reference to
     * another property ({@code {{ferry.management.port}}}); null when the file gives it none.
     */
    public String environmentVariable(String property) {
        String key = property;
        for (int hops = 0; key != null && hops < 5; hops++) {
            String value = values.get(key);
            if (value == null) {
                return null;
            }
            Matcher env = ENV.matcher(value);
            if (env.find()) {
                return env.group(1);
            }
            Matcher ref = REFERENCE.matcher(value);
            key = ref.matches() ? ref.group(1) : null;
        }
        return null;
    }

    /** {@code property (VARIABLE)}, or the property alone when no variable feeds it. */
    public String describe(String property) {
        String env = environmentVariable(property);
        return env == null ? property : property + " (" + env + ")";
    }
}
