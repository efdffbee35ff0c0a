package io.ferry.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.NoSuchEndpointException;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.bean.BeanEndpoint;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.model.TemplatedRouteParameterDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.support.PluginHelper;
import org.quartz.CronExpression;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;

import io.ferry.kernel.ConfigurationException;
import io.ferry.kernel.source.SourceEndpoint;

/**
 * {@code ferry validate}: the route files, mappings and settings checked as Ferry would use them, every problem at
 * once, without starting anything. Camel Main is initialised (properties, components and their options) but never
 * started; the route files are loaded one at a time, so that one that does not parse leaves the others checked; every
 * endpoint a route names is created (unknown component, unknown option, a value its component refuses) but no route,
 * consumer or producer is built, so no schedule fires, no server port opens and no vendor is called. Ferry's state
 * database is never opened: its bean is not bound, and {@code biDataSource} is a stand-in that refuses connections.
 */
public final class RouteValidation {

    private static final Pattern UNKNOWN_OPTIONS = Pattern.compile("Unknown parameters=\\[\\{(.*)}]", Pattern.DOTALL);
    private static final Pattern OPTION_KEY = Pattern.compile("(?:^|, )([A-Za-z0-9_.\\-]+)=");
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{\\{([A-Za-z][A-Za-z0-9_]*)}}");
    private static final Pattern SINGLE_PROPERTY = Pattern.compile("^\\{\\{([^{}:]+)}}$");
    /** A property placeholder without a default: {{ferry.sync.x.url}}, not {{env:X:}} or {{name:default}}. */
    private static final Pattern PROPERTY = Pattern.compile("\\{\\{([^{}:]+)}}");
    private static final Pattern URI_PREFIX = Pattern.compile("^[a-z][a-z0-9+.\\-]*:\\S*: ");

    /** What was checked and found. */
    public record Result(List<String> syncs, List<ValidationProblem> problems) {

        /** The syncs (among those checked) that have at least one problem. */
        public Set<String> syncsWithProblems() {
            Set<String> out = new TreeSet<>();
            problems.forEach(p -> {
                if (p.sync() != null && syncs.contains(p.sync())) {
                    out.add(p.sync());
                }
            });
            return out;
        }

        /** {@code 3 problems in 2 of 7 syncs}, {@code 7 syncs, no problems}. */
        public String summary() {
            if (problems.isEmpty()) {
                return syncs.size() + (syncs.size() == 1 ? " sync" : " syncs") + ", no problems";
            }
            long outside = problems.stream().filter(p -> p.sync() == null || !syncs.contains(p.sync())).count();
            return problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in " + syncsWithProblems().size()
                    + " of " + syncs.size() + (syncs.size() == 1 ? " sync" : " syncs")
                    + (outside == 0 ? "" : " (" + outside + " in no sync)");
        }
    }

    private final CamelContext camel;
    private final ConfigFile config;
    private final List<ValidationProblem> problems = new ArrayList<>();
    /** The file each route came from, as the include pattern names it. */
    private final Map<String, String> fileOfRoute = new HashMap<>();
    /** Per file, where its templatedRoutes and their parameters are. */
    private final Map<String, Map<String, TemplatedRouteLines.Lines>> linesOfFile = new HashMap<>();
    private SyncConfiguration syncs = SyncConfiguration.none();

    private RouteValidation(CamelContext camel, ConfigFile config) {
        this.camel = camel;
        this.config = config;
    }

    /**
     * Checks every sync's route files, mappings and settings with this configuration (application.properties, the
     * environment and the overrides), and reports the problems of the named syncs (all when none is named), and those
     * of files that belong to no sync. A name that is no sync is a problem too.
     *
     * @throws ConfigurationException when the route files cannot even be read (none matches the include pattern)
     */
    public static Result validate(Map<String, String> overrides, List<String> names) {
        ConfigFile config = ConfigFile.load();
        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:" + ConfigFile.location());
        // as FerryApp: a variable named like a property is only a fallback
        main.addOverrideProperty("camel.component.properties.environment-variable-mode", "1");
        overrides.forEach(main::addOverrideProperty);
        // the route files are loaded below, one at a time; Camel Main would stop at the first that fails
        main.configure().setRoutesCollectorEnabled(false);
        Result[] result = { null };
        RuntimeException[] failure = { null };
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                try {
                    result[0] = new RouteValidation(m.getCamelContext(), config).run(m.configure().getRoutesIncludePattern(),
                            m.configure().getRoutesExcludePattern(), names);
                } catch (RuntimeException e) {
                    failure[0] = e;
                }
            }
        });
        try {
            main.init();
        } catch (Exception e) {
            if (failure[0] == null) {
                throw new ConfigurationException("the configuration cannot be read: " + e.getMessage(), e);
            }
        } finally {
            main.stop();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return result[0];
    }

    private Result run(String include, String exclude, List<String> names) {
        if (camel.getRegistry().lookupByName("biDataSource") == null) {
            camel.getRegistry().bind("biDataSource", new NoDatabase());
        }
        List<Resource> files = routeFiles(include, exclude);
        load(files);
        try {
            SyncTemplateRoutes.addRoutes(camel);
        } catch (RuntimeException e) {
            problems.add(new ValidationProblem(null, null, null, null, oneLine(innermost(e))));
        }
        syncs = SyncConfigurationCheck.check(camel, config);
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        for (RouteDefinition route : model.getRouteDefinitions()) {
            checkRoute(route);
        }
        for (SyncTemplateRoutes.TemplatedSync s : templatedSyncs()) {
            checkCron(s);
        }
        for (String sync : syncs.syncs()) {
            for (SettingProblem p : syncs.problems(sync)) {
                problems.add(new ValidationProblem(null, null, null, sync, p.toString()));
            }
        }

        // a sync whose templatedRoute could not become a route is still a sync, with its problems
        Set<String> knownSet = new TreeSet<>(syncs.syncs());
        problems.forEach(p -> {
            if (p.sync() != null) {
                knownSet.add(p.sync());
            }
        });
        List<String> known = new ArrayList<>(knownSet);
        List<String> checked = new ArrayList<>();
        for (String name : names.isEmpty() ? known : new LinkedHashSet<>(names)) {
            if (known.contains(name)) {
                checked.add(name);
            }
        }
        List<ValidationProblem> reported = new ArrayList<>();
        for (ValidationProblem p : problems) {
            if (p.sync() == null || checked.contains(p.sync())) {
                reported.add(p);
            }
        }
        for (String name : new LinkedHashSet<>(names)) {
            if (!known.contains(name)) {
                reported.add(new ValidationProblem(null, null, null, name, "no sync has this name; known: " + String.join(", ", known)));
            }
        }
        reported = new ArrayList<>(new LinkedHashSet<>(reported));
        reported.sort(ValidationProblem.ORDER);
        return new Result(checked, reported);
    }

    // --- the route files ---

    private List<Resource> routeFiles(String include, String exclude) {
        List<Resource> files = new ArrayList<>();
        if (include == null || include.isBlank()) {
            throw new ConfigurationException("camel.main.routes-include-pattern names no route files");
        }
        Set<String> excluded = new LinkedHashSet<>();
        try {
            if (exclude != null && !exclude.isBlank()) {
                for (String pattern : exclude.split(",")) {
                    for (Resource r : PluginHelper.getPackageScanResourceResolver(camel).findResources(pattern.strip())) {
                        excluded.add(r.getLocation());
                    }
                }
            }
            for (String pattern : include.split(",")) {
                for (Resource r : PluginHelper.getPackageScanResourceResolver(camel).findResources(pattern.strip())) {
                    if (r.exists() && !excluded.contains(r.getLocation())) {
                        files.add(r);
                    }
                }
            }
        } catch (Exception e) {
            throw new ConfigurationException("the route files (" + include + ") cannot be read: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new ConfigurationException("no route file matches " + include + " (camel.main.routes-include-pattern)");
        }
        files.sort((a, b) -> a.getLocation().compareTo(b.getLocation()));
        return files;
    }

    /**
     * Loads the files as Camel's routes loader does (route configurations, then routes and templates, then templated
     * routes), but each file on its own: a file that fails is reported and the others are loaded.
     */
    private void load(List<Resource> files) {
        RoutesLoader loader = PluginHelper.getRoutesLoader(camel);
        Map<Resource, Collection<RoutesBuilder>> builders = new LinkedHashMap<>();
        for (Resource file : files) {
            String text;
            try (InputStream in = file.getInputStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigurationException("the route file " + shown(file.getLocation()) + " cannot be read: " + e.getMessage(), e);
            }
            linesOfFile.put(shown(file.getLocation()), TemplatedRouteLines.read(text));
            try {
                builders.put(file, loader.findRoutesBuilders(List.of(file)));
            } catch (Exception e) {
                fileProblem(file, e);
            }
        }
        Set<Resource> failed = new LinkedHashSet<>();
        builders.forEach((file, bs) -> {
            try {
                for (RoutesBuilder b : bs) {
                    if (b instanceof RouteConfigurationsBuilder c) {
                        camel.addRoutesConfigurations(c);
                    }
                }
            } catch (Exception e) {
                failed.add(file);
                fileProblem(file, e);
            }
        });
        builders.forEach((file, bs) -> {
            if (failed.contains(file)) {
                return;
            }
            Set<String> before = routeIds();
            try {
                for (RoutesBuilder b : bs) {
                    camel.addRoutes(b);
                }
            } catch (Exception e) {
                failed.add(file);
                fileProblem(file, e);
            }
            recordFile(file, before);
        });
        builders.forEach((file, bs) -> {
            if (failed.contains(file)) {
                return;
            }
            Set<String> before = routeIds();
            boolean reported = checkTemplatedRoutes(file, bs);
            try {
                for (RoutesBuilder b : bs) {
                    camel.addTemplatedRoutes(b);
                }
            } catch (Exception e) {
                if (!reported) {
                    fileProblem(file, e);
                }
            }
            recordFile(file, before);
        });
    }

    private Set<String> routeIds() {
        Set<String> ids = new LinkedHashSet<>();
        camel.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions().forEach(r -> ids.add(r.getRouteId()));
        return ids;
    }

    private void recordFile(Resource file, Set<String> before) {
        for (String id : routeIds()) {
            if (!before.contains(id)) {
                fileOfRoute.put(id, shown(file.getLocation()));
            }
        }
    }

    /**
     * Each templatedRoute's template exists and gets its required parameters and no others (Camel itself ignores a
     * misspelt optional parameter: the route would silently take the default). True when a problem was reported.
     */
    private boolean checkTemplatedRoutes(Resource file, Collection<RoutesBuilder> builders) {
        boolean reported = false;
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        String shown = shown(file.getLocation());
        for (RoutesBuilder b : builders) {
            if (!(b instanceof RouteBuilder rb) || rb.getTemplatedRouteCollection() == null) {
                continue;
            }
            for (TemplatedRouteDefinition t : rb.getTemplatedRouteCollection().getTemplatedRoutes()) {
                String routeId = t.getRouteId();
                TemplatedRouteLines.Lines lines = linesOfFile.getOrDefault(shown, Map.of()).get(routeId);
                String sync = routeId;
                for (TemplatedRouteParameterDefinition p : t.getParameters()) {
                    if ("sync".equals(p.getName())) {
                        sync = resolveOrAsIs(p.getValue());
                    }
                }
                RouteTemplateDefinition template = model.getRouteTemplateDefinition(t.getRouteTemplateRef());
                if (template == null) {
                    problems.add(new ValidationProblem(shown, lines == null ? null : lines.line(), null, sync, "no route template '"
                            + t.getRouteTemplateRef() + "' (the templates: " + String.join(", ", templateIds(model)) + ")"));
                    reported = true;
                    continue;
                }
                Map<String, RouteTemplateParameterDefinition> declared = new LinkedHashMap<>();
                for (RouteTemplateParameterDefinition d : template.getTemplateParameters()) {
                    declared.put(d.getName(), d);
                }
                Set<String> given = new LinkedHashSet<>();
                for (TemplatedRouteParameterDefinition p : t.getParameters()) {
                    given.add(p.getName());
                    if (!declared.containsKey(p.getName())) {
                        problems.add(new ValidationProblem(shown, lines == null ? null : lines.of(p.getName()), null, sync,
                                "'" + p.getName() + "' is not a parameter of " + template.getId() + " (its parameters: "
                                        + String.join(", ", declared.keySet()) + ")"));
                        reported = true;
                    }
                }
                for (RouteTemplateParameterDefinition d : declared.values()) {
                    if (d.isRequired() && d.getDefaultValue() == null && !given.contains(d.getName())) {
                        problems.add(new ValidationProblem(shown, lines == null ? null : lines.line(), null, sync,
                                "the parameter '" + d.getName() + "' of " + template.getId() + " is required"));
                        reported = true;
                    }
                }
            }
        }
        return reported;
    }

    private static List<String> templateIds(Model model) {
        List<String> ids = new ArrayList<>();
        model.getRouteTemplateDefinitions().forEach(t -> ids.add(t.getId()));
        return ids;
    }

    private void fileProblem(Resource file, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MarkedYamlEngineException marked && marked.getProblemMark().isPresent()) {
                var mark = marked.getProblemMark().get();
                // the problem is where the parser gave up; the context (an open quote, a block) is where it began
                String context = marked.getContext() == null ? "" : marked.getContext()
                        + marked.getContextMark().map(c -> " at " + (c.getLine() + 1) + ":" + (c.getColumn() + 1)).orElse("") + ": ";
                String what = context + marked.getProblem();
                // the parser's own errors are YAML syntax; the YAML DSL's (an unknown step) are Camel's
                String prefix = marked.getClass().getPackageName().startsWith("org.snakeyaml") ? "YAML syntax: " : "";
                problems.add(new ValidationProblem(shown(file.getLocation()), mark.getLine() + 1, mark.getColumn() + 1, null,
                        prefix + oneLine(what)));
                return;
            }
            if (t instanceof YamlEngineException yaml) {
                // the YAML DSL's own errors (an unknown step): "what" then "in FILE, line L, column C:"
                Matcher m = Pattern.compile("(?s)^(.*?)\\s*in \\S+, line (\\d+), column (\\d+):").matcher(String.valueOf(yaml.getMessage()));
                if (m.find()) {
                    problems.add(new ValidationProblem(shown(file.getLocation()), Integer.valueOf(m.group(2)), Integer.valueOf(m.group(3)),
                            null, oneLine(m.group(1))));
                    return;
                }
            }
        }
        problems.add(new ValidationProblem(shown(file.getLocation()), null, null, null, oneLine(innermost(e))));
    }

    // --- the routes ---

    /** Every endpoint the route names, its mappings, and a windowed sync's window against its sources. */
    private void checkRoute(RouteDefinition route) {
        Place place = place(route);
        List<String> uris = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        if (route.getInput() != null) {
            uris.add(route.getInput().getEndpointUri());
            lines.add(route.getInput().getLineNumber());
        }
        collect(route, uris, lines);
        String windowedStart = null;
        List<SourceEndpoint> sources = new ArrayList<>();
        String sourceUri = null;
        for (int i = 0; i < uris.size(); i++) {
            String raw = uris.get(i);
            if (raw == null) {
                continue;
            }
            String written = place.generatedSink() ? raw : TemplateParameters.apply(route, raw);
            String parameter = place.templated() ? firstParameter(raw) : null;
            String uri = resolveForCheck(place, parameter, lines.get(i), written);
            if (uri == null) {
                continue;
            }
            String scheme = uri.contains(":") ? uri.substring(0, uri.indexOf(':')).strip() : "";
            if (scheme.equals("quartz")) {
                continue; // its cron is checked on its own; its endpoint would make a scheduler
            }
            if (uri.startsWith("ferry:map") && !checkMapping(place, parameter(raw, "mapping", place), lines.get(i), uri)) {
                continue;
            }
            Endpoint endpoint;
            try {
                endpoint = camel.getEndpoint(uri);
            } catch (RuntimeException e) {
                // with a property taken as empty, only what does not follow from that is worth a line
                endpointProblem(place, raw, lines.get(i), uri, e, !uri.equals(blanked(written)));
                continue;
            }
            if (endpoint instanceof BeanEndpoint bean && bean.getBeanName() != null
                    && camel.getRegistry().lookupByName(bean.getBeanName()) == null) {
                problems.add(place.problem(parameter, lines.get(i), "no bean named '" + bean.getBeanName() + "' (" + base(uri)
                        + "); a route file's beans: section declares it"));
            }
            if (uri.startsWith("ferry:start") && !option(uri, "window").isBlank()) {
                windowedStart = uri;
            }
            if (endpoint instanceof SourceEndpoint source) {
                sources.add(source);
                sourceUri = base(uri);
            }
        }
        if (windowedStart != null) {
            checkWindow(place, windowedStart, sources, sourceUri);
        }
        checkReconcile(route, place);
    }

    /**
     * A templated sync's reconcile parameters (ferry reconcile): its reconcileTarget is an endpoint, checked as its steps
     * are (component, options, properties), and its reconcileZone a time zone.
     */
    private void checkReconcile(RouteDefinition route, Place place) {
        Map<String, Object> p = route.getTemplateParameters();
        if (!place.templated() || p == null) {
            return;
        }
        Object target = p.get("reconcileTarget");
        if (target != null && !String.valueOf(target).isBlank()) {
            String raw = "{{reconcileTarget}}";
            String written = TemplateParameters.apply(route, raw);
            String uri = resolveForCheck(place, "reconcileTarget", null, written);
            if (uri != null) {
                try {
                    camel.getEndpoint(uri.strip());
                } catch (RuntimeException e) {
                    endpointProblem(place, raw, null, uri.strip(), e, !uri.equals(blanked(written)));
                }
            }
        }
        Object zone = p.get("reconcileZone");
        if (zone != null && !String.valueOf(zone).isBlank()) {
            try {
                java.time.ZoneId.of(String.valueOf(zone).strip());
            } catch (java.time.DateTimeException e) {
                problems.add(place.problem("reconcileZone", null, "reconcileZone '" + String.valueOf(zone).strip()
                        + "' is not a time zone (e.g. Asia/Shanghai)"));
            }
        }
    }

    /**
     * The URI with its property placeholders resolved. A property that is not there at all is reported (unless the
     * settings check names it already) and taken as empty, so that the endpoint's other options are still checked;
     * null when the text cannot be resolved even so.
     */
    private String resolveForCheck(Place place, String parameter, Integer line, String written) {
        try {
            return camel.resolvePropertyPlaceholders(written);
        } catch (RuntimeException e) {
            Matcher m = PROPERTY.matcher(written);
            StringBuilder blanked = new StringBuilder();
            while (m.find()) {
                String name = m.group(1).strip();
                boolean missing;
                try {
                    camel.resolvePropertyPlaceholders("{{" + name + "}}");
                    missing = false;
                } catch (RuntimeException notThere) {
                    missing = true;
                }
                if (missing) {
                    boolean named = place.sync() != null && syncs.problems(place.sync()).stream()
                            .anyMatch(p -> name.equals(p.property()));
                    if (!named) {
                        problems.add(place.problem(parameter, line, "the property " + name + " is not set"));
                    }
                    m.appendReplacement(blanked, "");
                } else {
                    m.appendReplacement(blanked, Matcher.quoteReplacement(m.group()));
                }
            }
            m.appendTail(blanked);
            try {
                return camel.resolvePropertyPlaceholders(blanked.toString());
            } catch (RuntimeException still) {
                problems.add(place.problem(parameter, line, oneLine(innermost(still))));
                return null;
            }
        }
    }

    /** The mapping file exists and is JSONata; false when it is not (its ferry:map would say the same again). */
    private boolean checkMapping(Place place, String parameter, Integer line, String uri) {
        String mapping = decode(option(uri, "mapping"));
        if (mapping.isBlank()) {
            return true; // ferry:map names the missing parameter itself
        }
        Path path = Path.of(mapping);
        if (!Files.isRegularFile(path)) {
            problems.add(place.problem(parameter, line, "the mapping file " + mapping + " does not exist (relative to "
                    + Path.of("").toAbsolutePath() + ")"));
            return false;
        }
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(place.problem(parameter, line, "the mapping file " + mapping + " cannot be read: " + e.getMessage()));
            return false;
        }
        try {
            Jsonata.jsonata(text);
            return true;
        } catch (JException e) {
            int[] at = lineAndColumn(text, e.getLocation());
            problems.add(new ValidationProblem(mapping, at[0], at[1], place.sync(), "JSONata syntax error: " + oneLine(e.getMessage())));
            return false;
        } catch (RuntimeException e) {
            problems.add(new ValidationProblem(mapping, null, null, place.sync(), "JSONata syntax error: " + oneLine(innermost(e))));
            return false;
        }
    }

    /** 1-based line and column of a character offset (jsonata-java's position is just past the token it stopped at). */
    static int[] lineAndColumn(String text, int position) {
        int at = Math.max(0, Math.min(position, text.length()));
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new int[] { line, Math.max(1, at - lineStart) };
    }

    /** The text as it resolves, or null when it does not (a property that is not there). */
    private String blanked(String written) {
        try {
            return camel.resolvePropertyPlaceholders(written);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void endpointProblem(Place place, String raw, Integer line, String uri, RuntimeException e, boolean propertyBlanked) {
        String parameter = place.templated() ? firstParameter(raw) : null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NoSuchEndpointException) {
                String scheme = uri.substring(0, Math.max(0, uri.indexOf(':')));
                problems.add(place.problem(parameter, line, "unknown component '" + scheme + "' in " + base(uri)
                        + " (no Camel component of Ferry's has that scheme)"));
                return;
            }
        }
        String reason = innermost(e);
        Matcher unknown = UNKNOWN_OPTIONS.matcher(reason);
        if (unknown.find()) {
            Set<String> written = queryKeys(uri);
            Matcher key = OPTION_KEY.matcher(unknown.group(1));
            boolean any = false;
            while (key.find()) {
                if (written.contains(key.group(1))) {
                    any = true;
                    problems.add(place.problem(parameterFor(raw, key.group(1), place), line, "unknown option '" + key.group(1)
                            + "' of " + base(uri)));
                }
            }
            if (any) {
                return;
            }
        }
        if (propertyBlanked) {
            return;
        }
        String message = URI_PREFIX.matcher(reason).replaceFirst("");
        problems.add(place.problem(parameterNamedIn(raw, message, place), line, oneLine(message) + fromProperty(place, raw, message)));
    }

    /** A windowed sync's windowSize against what its sources' API accepts. */
    private void checkWindow(Place place, String start, List<SourceEndpoint> sources, String sourceUri) {
        String text = decode(option(start, "windowSize"));
        Duration size;
        try {
            size = Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            return; // ferry:start reported it
        }
        for (SourceEndpoint source : sources) {
            Duration max = source.maxWindow();
            if (max != null && size.compareTo(max) > 0) {
                problems.add(place.problem("windowSize", null, "windowSize " + text.strip() + " is larger than " + sourceUri + " allows ("
                        + days(max) + ")" + fromProperty(place, "{{windowSize}}", "windowSize")));
            }
        }
    }

    /** P7D rather than Duration's PT168H, as a route writes it. */
    private static String days(Duration d) {
        return d.toSeconds() % 86_400 == 0 ? "P" + d.toDays() + "D" : d.toString();
    }

    /** A templated sync's schedule is a Quartz cron, and so is its reconcile's (ferry.sync.<sync>.reconcile.cron) when set. */
    private void checkCron(SyncTemplateRoutes.TemplatedSync s) {
        String reconcile = camel.getPropertiesComponent().resolveProperty("ferry.sync." + s.sync() + ".reconcile.cron").orElse("");
        if (!reconcile.isBlank()) {
            try {
                CronExpression.validateExpression(reconcile.strip());
            } catch (ParseException e) {
                String property = "ferry.sync." + s.sync() + ".reconcile.cron";
                problems.add(new ValidationProblem(null, null, null, s.sync(), "the reconcile schedule '" + reconcile.strip() + "' ("
                        + property + env(property) + ") is not a Quartz cron: " + e.getMessage()));
            }
            RouteDefinition route = camel.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinition(s.sync());
            Object target = route == null || route.getTemplateParameters() == null ? null
                    : route.getTemplateParameters().get("reconcileTarget");
            if (target == null || String.valueOf(target).isBlank()) {
                problems.add(new ValidationProblem(null, null, null, s.sync(), "ferry.sync." + s.sync() + ".reconcile.cron is set, "
                        + "but the sync declares no reconcileTarget: its target cannot be read back, so it cannot be reconciled"));
            }
        }
        String cron = s.cron() == null || s.cron().isBlank()
                ? camel.getPropertiesComponent().resolveProperty("ferry.sync." + s.sync() + ".cron").orElse("")
                : s.cron();
        if (cron.isBlank()) {
            return; // SyncTemplateRoutes said so
        }
        try {
            CronExpression.validateExpression(cron.strip());
        } catch (ParseException e) {
            RouteDefinition route = camel.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinition(s.sync());
            Place place = route == null ? new Place(null, null, s.sync(), false, false) : place(route);
            String source = s.cron() == null || s.cron().isBlank() ? " (ferry.sync." + s.sync() + ".cron"
                    + env("ferry.sync." + s.sync() + ".cron") + ")" : "";
            problems.add(place.problem("cron", null, "the schedule '" + cron.strip() + "'" + source + " is not a Quartz cron: "
                    + e.getMessage()));
        }
    }

    private String env(String property) {
        String env = config.environmentVariable(property);
        return env == null ? "" : ", " + env;
    }

    /** " (from ferry.sync.x.window-size, FERRY_X)" when the parameter the message names is a single property. */
    private String fromProperty(Place place, String raw, String message) {
        if (!place.templated()) {
            return "";
        }
        String parameter = parameterNamedIn(raw, message, place);
        Object value = parameter == null ? null : place.parameters().get(parameter);
        Matcher m = value == null ? null : SINGLE_PROPERTY.matcher(String.valueOf(value).strip());
        if (m == null || !m.matches() || TEMPLATE_PARAMETER.matcher(String.valueOf(value).strip()).matches()
                && place.parameters().containsKey(m.group(1))) {
            return "";
        }
        String property = m.group(1).strip();
        return " (" + property + env(property) + ")";
    }

    // --- where a route's problem is shown ---

    /**
     * Where a route's problems are shown: its file and sync; for a templated sync (and the schedule and sink routes
     * Ferry adds for it) the line of the parameter the problem is in.
     */
    private record Place(String file, Map<String, TemplatedRouteLines.Lines> lines, String sync, boolean templated,
            boolean generatedSink, String routeId, Map<String, Object> parameters) {

        Place(String file, Map<String, TemplatedRouteLines.Lines> lines, String sync, boolean templated, boolean generatedSink) {
            this(file, lines, sync, templated, generatedSink, sync, Map.of());
        }

        ValidationProblem problem(String parameter, Integer stepLine, String message) {
            Integer line;
            if (templated) {
                TemplatedRouteLines.Lines l = lines == null ? null : lines.get(routeId);
                line = l == null ? null : l.of(parameter);
            } else {
                line = stepLine == null || stepLine <= 0 ? null : stepLine;
            }
            return new ValidationProblem(file, line == null || line <= 0 ? null : line, null, sync,
                    sync == null ? "route '" + routeId + "': " + message : message);
        }
    }

    private Place place(RouteDefinition route) {
        String id = route.getRouteId();
        String sync = syncOf(id);
        // the schedule and sink routes Ferry adds for a templated sync are shown at that sync's templatedRoute
        String owner = id;
        boolean generatedSink = false;
        boolean generated = route.getResource() != null && "ferry-sync-routes.yaml".equals(route.getResource().getLocation());
        if (generated && sync != null) {
            owner = sync;
            generatedSink = id.endsWith("-write");
        }
        RouteDefinition ownerRoute = camel.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinition(owner);
        boolean templated = ownerRoute != null && ownerRoute.isCreatedFromTemplate();
        String file = fileOfRoute.get(owner);
        if (file == null && route.getResource() != null && !generated) {
            file = shown(route.getResource().getLocation());
        }
        Map<String, Object> parameters = ownerRoute != null && ownerRoute.getTemplateParameters() != null
                ? ownerRoute.getTemplateParameters() : Map.of();
        return new Place(file, linesOfFile.get(file), sync, templated, generatedSink, owner, parameters);
    }

    private String syncOf(String routeId) {
        for (String sync : syncs.syncs()) {
            if (syncs.routeIds(sync).contains(routeId)) {
                return sync;
            }
        }
        return null;
    }

    /** The template parameter a URI as written takes its text from first ({{source}} → source); sink for a sink route. */
    private static String firstParameter(String raw) {
        Matcher m = TEMPLATE_PARAMETER.matcher(raw);
        return m.find() ? m.group(1) : null;
    }

    /** The parameter the option comes from in the template's URI (key={{key}} → key), else the URI's first. */
    private static String parameterFor(String raw, String option, Place place) {
        if (place.generatedSink()) {
            return "sink";
        }
        Matcher m = Pattern.compile("[?&]" + Pattern.quote(option) + "=\\{\\{([A-Za-z][A-Za-z0-9_]*)}}").matcher(raw);
        return m.find() ? m.group(1) : firstParameter(raw);
    }

    /** The parameter of the URI whose name the message mentions (windowSize …), else the URI's first. */
    private static String parameterNamedIn(String raw, String message, Place place) {
        if (place.generatedSink()) {
            return "sink";
        }
        Matcher m = TEMPLATE_PARAMETER.matcher(raw);
        String first = null;
        while (m.find()) {
            first = first == null ? m.group(1) : first;
            if (Pattern.compile("\\b" + Pattern.quote(m.group(1)) + "\\b").matcher(message).find()) {
                return m.group(1);
            }
        }
        return first;
    }

    private static String parameter(String raw, String option, Place place) {
        return place.templated() ? parameterFor(raw, option, place) : null;
    }

    private List<SyncTemplateRoutes.TemplatedSync> templatedSyncs() {
        try {
            return SyncTemplateRoutes.syncs(camel);
        } catch (RuntimeException e) {
            return List.of(); // a placeholder that does not resolve: reported with its route
        }
    }

    // --- text ---

    private static void collect(ProcessorDefinition<?> node, List<String> uris, List<Integer> lines) {
        if (node instanceof SendDefinition<?> send && send.getEndpointUri() != null) {
            uris.add(send.getEndpointUri());
            lines.add(send.getLineNumber());
        }
        for (ProcessorDefinition<?> child : node.getOutputs()) {
            collect(child, uris, lines);
        }
    }

    /** {@code file:routes/x.yaml} → {@code routes/x.yaml}. */
    private static String shown(String location) {
        return location.startsWith("file:") ? location.substring(5) : location;
    }

    private static String base(String uri) {
        int q = uri.indexOf('?');
        return (q < 0 ? uri : uri.substring(0, q)).strip();
    }

    private static Set<String> queryKeys(String uri) {
        Set<String> keys = new LinkedHashSet<>();
        int q = uri.indexOf('?');
        if (q >= 0) {
            for (String pair : uri.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                keys.add((eq < 0 ? pair : pair.substring(0, eq)).strip());
            }
        }
        return keys;
    }

    /** An option of a URI as written (empty when absent). */
    private static String option(String uri, String name) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return "";
        }
        for (String pair : uri.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).strip().equals(name)) {
                return pair.substring(eq + 1);
            }
        }
        return "";
    }

    private static String decode(String value) {
        String v = value.strip();
        if (v.startsWith("RAW(") && v.endsWith(")")) {
            return v.substring(4, v.length() - 1);
        }
        return v;
    }

    private String resolveOrAsIs(String text) {
        try {
            return camel.resolvePropertyPlaceholders(text);
        } catch (RuntimeException e) {
            return text;
        }
    }

    private static String innermost(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    private static String oneLine(String text) {
        return String.valueOf(text).replaceAll("\\s+", " ").strip();
    }

    /** Stands in for the BI database while routes are checked: validate connects to no database. */
    private static final class NoDatabase implements DataSource {

        @Override
        public Connection getConnection() throws SQLException {
            throw new SQLException("ferry validate connects to no database");
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
