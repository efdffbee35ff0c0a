package io.ferry.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.Component;
import org.apache.camel.Endpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import io.ferry.connector.jellyfish.JellyFishEndpoint;
import io.ferry.connector.jellyfish.JellyFishPullEndpoint;
import io.ferry.connector.jsonapi.JsonApiEndpoint;
import io.ferry.connector.jushuitan.JushuitanEndpoint;
import io.ferry.connector.kingdee.KingdeeQueryEndpoint;
import io.ferry.connector.kingdee.KingdeeSaveEndpoint;
import io.ferry.connector.wangdiantong.WangdiantongEndpoint;

/**
 * Every option of every connector is declared once, in the code, and docs/connectors/NAME.md documents exactly those
 * declarations:
 * <ul>
 * <li>each endpoint's table is its @UriPath and @UriParam fields, of every Ferry class it extends (the source options
 * of SourceEndpoint included; Camel's generic ones such as lazyStartProducer are not listed);</li>
 * <li>the component's table is its @Metadata options (fields, or an overriding setter that redeclares one, as Camel's
 * tooling reads them), those of ConnectorComponent included;</li>
 * <li>name, default and description are as declared, and a declared default is the value the code starts with;</li>
 * <li>the secrets are declared secret = true, and every option named like one is among them;</li>
 * <li>every public setter of a Ferry class that Camel can bind from a URI or a property is a declared option.</li>
 * </ul>
 * The components are those Camel finds (META-INF/services/org/apache/camel/component); the endpoints those in each
 * component's package.
 */
class OptionsDocumentedTest {

    private static final Path SERVICES = Path.of("src/main/resources/META-INF/services/org/apache/camel/component");

    /** The pipeline's own steps: not a connector, their options are the sync route's (README). */
    private static final Set<String> NOT_CONNECTORS = Set.of("ferry");

    /** An option named like a credential must be declared secret. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token)");

    /** An endpoint: a URI that makes it (with its required options) and the heading of its table. */
    record EndpointDoc(String uri, String heading) {
    }

    /** A connector: its endpoints, its component table's heading and the options that hold a secret. */
    record ConnectorDoc(Map<Class<? extends Endpoint>, EndpointDoc> endpoints, String componentHeading, Set<String> secrets) {
    }

    private static final Map<String, ConnectorDoc> CONNECTORS = Map.of(
            "jushuitan", new ConnectorDoc(
                    Map.of(JushuitanEndpoint.class, new EndpointDoc("jushuitan:/open/shops/query", "## Endpoint options")),
                    "## Component options (`camel.component.jushuitan.*`, environment variables in application.properties)",
                    Set.of("appSecret", "accessToken")),
            "wangdiantong", new ConnectorDoc(
                    Map.of(WangdiantongEndpoint.class, new EndpointDoc("wangdiantong:shops", "## Endpoint options")),
                    "## Component options (`camel.component.wangdiantong.*`, see application.properties for the environment variables)",
                    Set.of("appSecret", "qimenSecret")),
            "kingdee", new ConnectorDoc(
                    Map.of(KingdeeQueryEndpoint.class, new EndpointDoc("kingdee:query?formId=BD_Customer&fieldKeys=FNumber",
                            "### `kingdee:query` options"),
                            KingdeeSaveEndpoint.class, new EndpointDoc("kingdee:batchSave?formId=BD_Customer",
                                    "### `kingdee:batchSave` / `kingdee:save` options")),
                    "## Component options (`camel.component.kingdee.*`, see application.properties)",
                    Set.of("password", "appSecret")),
            "jellyfish", new ConnectorDoc(
                    Map.of(JellyFishPullEndpoint.class, new EndpointDoc("jellyfish:pull?offsetField=id", "### `jellyfish:pull` options"),
                            JellyFishEndpoint.class, new EndpointDoc("jellyfish:push", "### `jellyfish:push` options")),
                    "## Component options (`camel.component.jellyfish.*`)",
                    Set.of()),
            "jsonapi", new ConnectorDoc(
                    Map.of(JsonApiEndpoint.class, new EndpointDoc("jsonapi:orders?url=http://localhost/v1/orders&records=data",
                            "## Endpoint options")),
                    "## Component options",
                    Set.of("bearerToken", "authHeaderValue", "authQueryValue", "basicPassword")));


    /** Options whose value validateSource derives from others: JellyFish's offsetField and initialOffset. */
    private static final Map<Class<?>, Set<String>> DERIVED = Map.of(JellyFishPullEndpoint.class, Set.of("cursorField", "initialCursor"));

    /** An option as declared: where, its default and its description. */
    record Declared(String name, Field field, Method getter, String defaultValue, String description, boolean secret, boolean path) {
        String row() {
            return defaultValue + " | " + description;
        }
    }

    // ---- what the code declares ----

    /** Scheme → component class, as Camel finds them. */
    private static Map<String, Class<?>> components() throws IOException, ClassNotFoundException {
        Map<String, Class<?>> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(SERVICES)) {
            for (Path f : files.toList()) {
                String line = Files.readAllLines(f).stream().filter(l -> l.startsWith("class=")).findFirst().orElseThrow();
                out.put(f.getFileName().toString(), Class.forName(line.substring("class=".length()).strip()));
            }
        }
        return out;
    }

    /** Ferry's classes of the hierarchy, the class itself first (Camel's own options are not Ferry's to document). */
    private static List<Class<?>> ferryClasses(Class<?> type) {
        List<Class<?>> out = new ArrayList<>();
        for (Class<?> c = type; c != null && c.getName().startsWith("io.ferry."); c = c.getSuperclass()) {
            out.add(c);
        }
        return out;
    }

    /** The endpoint's @UriPath and @UriParam options, its own first, then those it inherits (the tables' order). */
    private static Map<String, Declared> endpointOptions(Class<?> endpoint) {
        Map<String, Declared> out = new LinkedHashMap<>();
        for (Class<?> c : ferryClasses(endpoint)) {
            for (Field f : c.getDeclaredFields()) {
                UriPath path = f.getAnnotation(UriPath.class);
                UriParam param = f.getAnnotation(UriParam.class);
                if (path != null) {
                    String name = path.name().isEmpty() ? f.getName() : path.name();
                    out.putIfAbsent(name, new Declared(name, f, null, path.defaultValue(), path.description(), path.secret(), true));
                } else if (param != null) {
                    String name = param.name().isEmpty() ? f.getName() : param.name();
                    out.putIfAbsent(name, new Declared(name, f, null, param.defaultValue(), param.description(), param.secret(), false));
                }
            }
        }
        return out;
    }

    /**
     * The component's @Metadata options: on a setter or on the field of its name, the most specific class's
     * declaration winning (as in Camel's tooling), listed the superclasses' options last.
     */
    private static Map<String, Declared> componentOptions(Class<?> component) throws Exception {
        Map<String, Declared> out = new LinkedHashMap<>();
        for (Class<?> c : ferryClasses(component)) {
            Map<String, Declared> own = new LinkedHashMap<>();
            for (Field f : c.getDeclaredFields()) {
                Metadata m = f.getAnnotation(Metadata.class);
                if (m != null) {
                    own.put(f.getName(), new Declared(f.getName(), null, getter(component, f.getName()), m.defaultValue(),
                            m.description(), m.secret(), false));
                }
            }
            for (Method s : c.getDeclaredMethods()) {
                Metadata m = s.getAnnotation(Metadata.class);
                if (m != null && isSetter(s)) {
                    String name = optionOf(s);
                    own.put(name, new Declared(name, null, getter(component, name), m.defaultValue(), m.description(), m.secret(), false));
                }
            }
            own.forEach(out::putIfAbsent);
        }
        return out;
    }

    private static Method getter(Class<?> type, String option) throws NoSuchMethodException {
        String cap = Character.toUpperCase(option.charAt(0)) + option.substring(1);
        try {
            return type.getMethod("get" + cap);
        } catch (NoSuchMethodException e) {
            return type.getMethod("is" + cap);
        }
    }

    private static boolean isSetter(Method m) {
        return m.getName().startsWith("set") && m.getName().length() > 3 && m.getParameterCount() == 1
                && Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && !m.isSynthetic();
    }

    /** The option a setter binds: setAppKey → appKey (Camel's property binding). */
    private static String optionOf(Method setter) {
        String n = setter.getName().substring(3);
        return Character.toLowerCase(n.charAt(0)) + n.substring(1);
    }

    /** The options Camel can bind by a public setter declared in a Ferry class of the hierarchy. */
    private static Map<String, Class<?>> bindableSetters(Class<?> type) {
        Map<String, Class<?>> out = new TreeMap<>();
        for (Class<?> c : ferryClasses(type)) {
            for (Method m : c.getDeclaredMethods()) {
                if (isSetter(m)) {
                    out.putIfAbsent(optionOf(m), c);
                }
            }
        }
        return out;
    }

    /** The endpoint classes of a component's package. */
    private static Set<Class<?>> endpointClasses(Class<?> component) throws IOException, URISyntaxException, ClassNotFoundException {
        String pkg = component.getPackageName();
        Set<Class<?>> out = new TreeSet<>((a, b) -> a.getName().compareTo(b.getName()));
        for (URL url : Collections.list(component.getClassLoader().getResources(pkg.replace('.', '/')))) {
            if (!url.getProtocol().equals("file")) {
                continue;
            }
            try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                for (Path f : files.toList()) {
                    String file = f.getFileName().toString();
                    if (file.endsWith(".class") && !file.contains("$")) {
                        Class<?> c = Class.forName(pkg + "." + file.substring(0, file.length() - ".class".length()));
                        if (Endpoint.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())) {
                            out.add(c);
                        }
                    }
                }
            }
        }
        return out;
    }

    // ---- what the docs say ----

    /** The rows of the first {@code | option | default | description |} table after the heading: option → "default | description". */
    private static Map<String, String> documented(Path doc, String heading) throws IOException {
        List<String> lines = Files.readAllLines(doc);
        int at = lines.indexOf(heading);
        assertThat(at).as("the heading '" + heading + "' in " + doc).isNotNegative();
        Map<String, String> out = new LinkedHashMap<>();
        boolean inTable = false;
        for (int i = at + 1; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (!inTable && l.startsWith("#")) {
                break;
            }
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
            assertThat(cells).as(doc + ": " + l).hasSize(3);
            String option = unquote(cells[0]);
            assertThat(out).as(doc + ": " + option + " documented twice under " + heading).doesNotContainKey(option);
            out.put(option, unquote(cells[1]) + " | " + cells[2].strip());
        }
        assertThat(inTable).as(doc + ": a '| option | default | description |' table under " + heading).isTrue();
        return out;
    }

    private static String unquote(String cell) {
        String s = cell.strip();
        return s.length() > 1 && s.startsWith("`") && s.endsWith("`") ? s.substring(1, s.length() - 1) : s;
    }

    /** The table the declarations make, to paste into the doc when it differs. */
    private static String table(Map<String, Declared> options) {
        StringBuilder sb = new StringBuilder("| option | default | description |\n|---|---|---|\n");
        options.values().forEach(o -> sb.append("| `").append(o.name()).append("` | ")
                .append(o.defaultValue().isEmpty() ? "" : "`" + o.defaultValue() + "`").append(" | ").append(o.description()).append(" |\n"));
        return sb.toString();
    }

    private static Map<String, String> rows(Map<String, Declared> options) {
        Map<String, String> out = new LinkedHashMap<>();
        options.forEach((k, v) -> out.put(k, v.row()));
        return out;
    }

    // ---- the checks ----

    @Test
    void everyComponentCamelFindsIsAConnectorListedHere() throws Exception {
        Map<String, Class<?>> components = components();
        Set<String> connectors = new TreeSet<>(components.keySet());
        connectors.removeAll(NOT_CONNECTORS);
        assertThat(connectors).as("connectors in " + SERVICES + "; add a new one to CONNECTORS").isEqualTo(new TreeSet<>(CONNECTORS.keySet()));
        for (String scheme : connectors) {
            assertThat(ConnectorComponent.class).as(scheme).isAssignableFrom(components.get(scheme));
        }
    }

    @TestFactory
    Stream<DynamicTest> theDocsDocumentEveryDeclaredOption() throws Exception {
        Map<String, Class<?>> components = components();
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, ConnectorDoc> e : new TreeMap<>(CONNECTORS).entrySet()) {
            String scheme = e.getKey();
            Path doc = Path.of("docs/connectors/" + scheme + ".md");
            Class<?> component = components.get(scheme);
            tests.add(DynamicTest.dynamicTest(scheme + " component", () -> {
                Map<String, Declared> declared = componentOptions(component);
                assertThat(documented(doc, e.getValue().componentHeading())).as(doc + ", component options; expected:\n" + table(declared))
                        .containsExactlyInAnyOrderEntriesOf(rows(declared));
            }));
            tests.add(DynamicTest.dynamicTest(scheme + " endpoints are the package's", () -> {
                assertThat(endpointClasses(component)).as("the endpoint classes of " + component.getPackageName())
                        .containsExactlyInAnyOrderElementsOf(e.getValue().endpoints().keySet());
            }));
            for (Map.Entry<Class<? extends Endpoint>, EndpointDoc> ep : e.getValue().endpoints().entrySet()) {
                Class<?> endpoint = ep.getKey();
                tests.add(DynamicTest.dynamicTest(endpoint.getSimpleName(), () -> {
                    UriEndpoint uri = endpoint.getAnnotation(UriEndpoint.class);
                    assertThat(uri).as(endpoint + " has @UriEndpoint").isNotNull();
                    assertThat(uri.scheme()).as(endpoint + " @UriEndpoint scheme").isEqualTo(scheme);
                    Map<String, Declared> declared = endpointOptions(endpoint);
                    assertThat(documented(doc, ep.getValue().heading())).as(doc + ", " + ep.getValue().heading() + "; expected:\n"
                            + table(declared)).containsExactlyInAnyOrderEntriesOf(rows(declared));
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void everyDeclaredDefaultIsTheValueTheCodeStartsWith() throws Exception {
        Map<String, Class<?>> components = components();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, ConnectorDoc> e : CONNECTORS.entrySet()) {
            Object component = components.get(e.getKey()).getDeclaredConstructor().newInstance();
            for (Declared o : componentOptions(component.getClass()).values()) {
                check(wrong, component.getClass().getSimpleName(), o, o.getter().invoke(component), Set.of());
            }
            try (DefaultCamelContext context = new DefaultCamelContext()) {
                for (Map.Entry<Class<? extends Endpoint>, EndpointDoc> ep : e.getValue().endpoints().entrySet()) {
                    Endpoint endpoint = context.getEndpoint(ep.getValue().uri());
                    assertThat(endpoint).as(ep.getValue().uri()).isExactlyInstanceOf(ep.getKey());
                    Set<String> given = new TreeSet<>(DERIVED.getOrDefault(ep.getKey(), Set.of()));
                    String query = ep.getValue().uri().contains("?") ? ep.getValue().uri().substring(ep.getValue().uri().indexOf('?') + 1) : "";
                    for (String p : query.split("&")) {
                        given.add(p.split("=", 2)[0]);
                    }
                    for (Declared o : endpointOptions(ep.getKey()).values()) {
                        if (!o.path()) {
                            o.field().setAccessible(true);
                            check(wrong, ep.getKey().getSimpleName(), o, o.field().get(endpoint), given);
                        }
                    }
                }
            }
        }
        assertThat(wrong).as("declared defaults that are not the code's").isEmpty();
    }

    private static void check(List<String> wrong, String where, Declared o, Object value, Set<String> given) {
        if (given.contains(o.name())) {
            return;
        }
        if (o.defaultValue().isEmpty() ? value != null : !o.defaultValue().equals(String.valueOf(value))) {
            wrong.add(where + "." + o.name() + ": declared default '" + o.defaultValue() + "', starts as " + value);
        }
    }

    @Test
    void everySecretIsDeclaredSecret() throws Exception {
        Map<String, Class<?>> components = components();
        for (Map.Entry<String, ConnectorDoc> e : CONNECTORS.entrySet()) {
            Map<String, Declared> all = new LinkedHashMap<>(componentOptions(components.get(e.getKey())));
            for (Class<?> endpoint : e.getValue().endpoints().keySet()) {
                endpointOptions(endpoint).forEach(all::putIfAbsent);
            }
            Set<String> secret = new TreeSet<>();
            all.values().stream().filter(Declared::secret).forEach(o -> secret.add(o.name()));
            assertThat(secret).as(e.getKey() + ": the options declared secret").isEqualTo(new TreeSet<>(e.getValue().secrets()));
            for (String name : all.keySet()) {
                if (SECRET_NAME.matcher(name).matches()) {
                    assertThat(secret).as(e.getKey() + ": " + name + " is named like a secret").contains(name);
                }
            }
        }
    }

    @Test
    void everyBindableSetterIsADeclaredOption() throws Exception {
        Map<String, Class<?>> components = components();
        Map<Class<?>, Set<String>> undeclared = new LinkedHashMap<>();
        for (Map.Entry<String, ConnectorDoc> e : CONNECTORS.entrySet()) {
            Class<?> component = components.get(e.getKey());
            undeclared(component, componentOptions(component).keySet(), undeclared);
            for (Class<?> endpoint : e.getValue().endpoints().keySet()) {
                undeclared(endpoint, endpointOptions(endpoint).keySet(), undeclared);
            }
        }
        assertThat(undeclared).as("public setters Camel binds (from a URI or camel.component.*) that declare no option")
                .isEmpty();
    }

    private static void undeclared(Class<?> type, Set<String> declared, Map<Class<?>, Set<String>> out) {
        Set<String> names = new TreeSet<>(bindableSetters(type).keySet());
        names.removeAll(declared);
        if (!names.isEmpty()) {
            out.put(type, names);
        }
    }
}
