package io.ferry.connector.jsonapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.junit.jupiter.api.Test;

/**
 * docs/connectors/jsonapi.md documents exactly the options the code declares: the endpoint's table its @UriPath and
 * @UriParam fields (the source options it inherits included), the component's table its @Metadata fields; name,
 * default and description as declared (Camel's own generic endpoint options, e.g. lazyStartProducer, are not listed).
 */
class JsonApiDocsTest {

    private static final Path DOC = Path.of("docs/connectors/jsonapi.md");

    /** One table row: option → "default | description", as the code declares it. */
    private static Map<String, String> declaredEndpointOptions() {
        Map<String, String> out = new LinkedHashMap<>();
        List<Class<?>> classes = new ArrayList<>();
        // Ferry's classes only: Camel's DefaultEndpoint adds its generic options (lazyStartProducer, …)
        for (Class<?> c = JsonApiEndpoint.class; c != null && c.getName().startsWith("io.ferry."); c = c.getSuperclass()) {
            classes.add(0, c);
        }
        for (Class<?> c : classes) {
            for (Field f : c.getDeclaredFields()) {
                UriPath path = f.getAnnotation(UriPath.class);
                UriParam param = f.getAnnotation(UriParam.class);
                if (path != null) {
                    out.put(f.getName(), path.defaultValue() + " | " + path.description());
                } else if (param != null) {
                    out.put(param.name().isEmpty() ? f.getName() : param.name(), param.defaultValue() + " | " + param.description());
                }
            }
        }
        return out;
    }

    private static Map<String, String> declaredComponentOptions() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Field f : JsonApiComponent.class.getDeclaredFields()) {
            Metadata m = f.getAnnotation(Metadata.class);
            if (m != null) {
                out.put(f.getName(), m.defaultValue() + " | " + m.description());
            }
        }
        return out;
    }

    /** The rows of the table that follows the heading {@code heading}. */
    private static Map<String, String> documented(String heading) throws Exception {
        List<String> lines = Files.readAllLines(DOC);
        int at = lines.indexOf(heading);
        assertThat(at).as("heading '" + heading + "' in " + DOC).isNotNegative();
        Map<String, String> out = new LinkedHashMap<>();
        boolean inTable = false;
        for (int i = at + 1; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.equals("| option | default | description |")) {
                inTable = true;
                continue;
            }
            if (!inTable || l.startsWith("|---")) {
                continue;
            }
            if (!l.startsWith("|")) {
                break;
            }
            String[] cells = l.substring(1, l.length() - 1).split("\\|", -1);
            assertThat(cells).as(l).hasSize(3);
            out.put(unquote(cells[0]), unquote(cells[1]) + " | " + cells[2].strip());
        }
        assertThat(inTable).as("a '| option | default | description |' table under " + heading).isTrue();
        return out;
    }

    private static String unquote(String cell) {
        String s = cell.strip();
        return s.startsWith("`") && s.endsWith("`") ? s.substring(1, s.length() - 1) : s;
    }

    private static String table(Map<String, String> rows) {
        StringBuilder sb = new StringBuilder("| option | default | description |\n|---|---|---|\n");
        rows.forEach((k, v) -> {
            String[] dv = v.split(" \\| ", 2);
            sb.append("| `").append(k).append("` | ").append(dv[0].isEmpty() ? "" : "`" + dv[0] + "`").append(" | ").append(dv[1]).append(" |\n");
        });
        return sb.toString();
    }

    @Test
    void theEndpointTableIsTheDeclaredOptions() throws Exception {
        Map<String, String> declared = declaredEndpointOptions();
        assertThat(documented("## Endpoint options")).as("expected:\n" + table(declared)).containsExactlyInAnyOrderEntriesOf(declared);
    }

    @Test
    void theComponentTableIsTheDeclaredOptions() throws Exception {
        Map<String, String> declared = declaredComponentOptions();
        assertThat(documented("## Component options")).as("expected:\n" + table(declared)).containsExactlyInAnyOrderEntriesOf(declared);
    }

    @Test
    void everySecretOfTheComponentIsMarkedSecret() throws Exception {
        for (String name : List.of("bearerToken", "authHeaderValue", "authQueryValue", "basicPassword")) {
            assertThat(JsonApiComponent.class.getDeclaredField(name).getAnnotation(Metadata.class).secret()).as(name).isTrue();
        }
    }
}
