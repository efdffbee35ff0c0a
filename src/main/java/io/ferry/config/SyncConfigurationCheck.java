package io.ferry.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.ToDynamicDefinition;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.connector.ConnectorComponent;

/**
 * Works out, from the route definitions before any route starts, which settings each sync needs and which of them
 * are missing. A sync is the route with a {@code ferry:start?sync=NAME} step; its routes are that route, every
 * route it reaches through {@code direct:} endpoints (its sinks, named by {@code ferry:aggregate?sink=} or a
 * {@code to}), and every route that reaches it (its schedule). Its settings are those of the vendor components
 * its routes call ({@link ConnectorComponent#settingProblems()}) and the required parameters of their endpoints
 * ({@link ConnectorComponent#requiredParameters()}, e.g. a JellyFish URL), named by the property the route takes
 * them from.
 */
public final class SyncConfigurationCheck {

    private static final Logger LOG = LoggerFactory.getLogger(SyncConfigurationCheck.class);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]+)}}");

    private SyncConfigurationCheck() {
    }

    /**
     * A route: its definition, the endpoint it consumes (without options) and the endpoints it calls, as written.
     * Equal only to itself; sets of routes keep the order the routes were found in.
     */
    private static final class RouteInfo {
        private final RouteDefinition definition;
        private final String input;
        private final List<String> outputs;

        RouteInfo(RouteDefinition definition, String input, List<String> outputs) {
            this.definition = definition;
            this.input = input;
            this.outputs = outputs;
        }

        RouteDefinition definition() {
            return definition;
        }

        String input() {
            return input;
        }

        List<String> outputs() {
            return outputs;
        }
    }

    /**
     * The check as Ferry would make it at start-up with this configuration (application.properties, the
     * environment and these overrides), without starting Ferry: Camel Main loads the route files and sets the
     * components' options, and stops before any route, database or server is started.
     */
    public static SyncConfiguration offline(Map<String, String> overrides) {
        ConfigFile file = ConfigFile.load();
        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:" + ConfigFile.location());
        overrides.forEach(main::addOverrideProperty);
        SyncConfiguration[] checked = { SyncConfiguration.none() };
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                SyncTemplateRoutes.addRoutes(m.getCamelContext());
                checked[0] = check(m.getCamelContext(), file);
            }
        });
        try {
            main.init();
        } catch (Exception e) {
            // a route file Ferry could not load either; starting Ferry says which
            LOG.warn("the syncs' settings could not be checked: {}", e.getMessage());
        } finally {
            main.stop();
        }
        return checked[0];
    }

    /** The check of the routes loaded in this context, against its components' options as they are now. */
    public static SyncConfiguration check(CamelContext camel, ConfigFile file) {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        List<RouteInfo> routes = new ArrayList<>();
        for (RouteDefinition route : model.getRouteDefinitions()) {
            List<String> raw = new ArrayList<>();
            collect(route, raw);
            List<String> outputs = new ArrayList<>();
            for (String uri : raw) {
                outputs.add(TemplateParameters.apply(route, uri));
            }
            String input = route.getInput() == null ? null
                    : base(resolve(camel, TemplateParameters.apply(route, route.getInput().getEndpointUri())));
            routes.add(new RouteInfo(route, input, outputs));
        }
        Map<String, RouteInfo> byInput = new HashMap<>();
        for (RouteInfo r : routes) {
            if (r.input() != null) {
                byInput.put(r.input(), r);
            }
        }
        // which routes each route sends to
        Map<RouteInfo, Set<RouteInfo>> calls = new LinkedHashMap<>();
        Map<String, RouteInfo> syncRoutes = new LinkedHashMap<>();
        for (RouteInfo r : routes) {
            Set<RouteInfo> targets = new LinkedHashSet<>();
            for (String raw : r.outputs()) {
                String uri = resolve(camel, raw);
                Map<String, String> query = query(uri);
                if (uri.startsWith("ferry:start") && query.get("sync") != null) {
                    syncRoutes.put(query.get("sync"), r);
                }
                RouteInfo target = byInput.get(base(uri));
                if (target != null) {
                    targets.add(target);
                }
                if (uri.startsWith("ferry:aggregate") && query.get("sink") != null && byInput.get(base(query.get("sink"))) != null) {
                    targets.add(byInput.get(base(query.get("sink"))));
                }
            }
            calls.put(r, targets);
        }

        Map<String, List<SettingProblem>> problems = new LinkedHashMap<>();
        Map<String, Set<RouteInfo>> members = new LinkedHashMap<>();
        for (Map.Entry<String, RouteInfo> sync : syncRoutes.entrySet()) {
            Set<RouteInfo> downstream = reach(sync.getValue(), calls);
            Set<SettingProblem> found = new LinkedHashSet<>();
            for (RouteInfo r : downstream) {
                for (String raw : r.outputs()) {
                    found.addAll(endpointProblems(camel, raw));
                }
            }
            List<SettingProblem> named = new ArrayList<>();
            for (SettingProblem p : found) {
                named.add(p.in(file));
            }
            problems.put(sync.getKey(), named);
            Set<RouteInfo> all = new LinkedHashSet<>();
            all.addAll(downstream);
            for (RouteInfo r : routes) {
                if (reach(r, calls).contains(sync.getValue())) {
                    all.add(r); // a schedule or another route that starts this sync
                }
            }
            members.put(sync.getKey(), all);
        }

        Set<RouteInfo> needed = new LinkedHashSet<>();
        Set<RouteInfo> unneeded = new LinkedHashSet<>();
        members.forEach((sync, rs) -> (problems.get(sync).isEmpty() ? needed : unneeded).addAll(rs));
        unneeded.removeAll(needed);
        Set<RouteDefinition> stop = new LinkedHashSet<>();
        for (RouteInfo r : unneeded) {
            stop.add(r.definition());
        }
        Map<String, Set<String>> routeIds = new LinkedHashMap<>();
        members.forEach((sync, rs) -> {
            Set<String> ids = new LinkedHashSet<>();
            rs.forEach(r -> ids.add(String.valueOf(r.definition().getRouteId())));
            routeIds.put(sync, ids);
        });
        return new SyncConfiguration(problems, stop, routeIds);
    }

    /** The text with its placeholders resolved; as written when one cannot be (Camel names it when the route starts). */
    private static String resolve(CamelContext camel, String text) {
        try {
            return camel.resolvePropertyPlaceholders(text);
        } catch (RuntimeException e) {
            return text;
        }
    }

    /** The route and every route it reaches. */
    private static Set<RouteInfo> reach(RouteInfo from, Map<RouteInfo, Set<RouteInfo>> calls) {
        Set<RouteInfo> seen = new LinkedHashSet<>();
        Deque<RouteInfo> todo = new ArrayDeque<>(List.of(from));
        while (!todo.isEmpty()) {
            RouteInfo r = todo.pop();
            if (seen.add(r)) {
                todo.addAll(calls.getOrDefault(r, Set.of()));
            }
        }
        return seen;
    }

    /** What a vendor endpoint lacks: its component's settings, and its required parameters that resolve to nothing. */
    private static List<SettingProblem> endpointProblems(CamelContext camel, String raw) {
        int colon = raw.indexOf(':');
        if (colon < 1) {
            return List.of();
        }
        String scheme = raw.substring(0, colon);
        if (scheme.contains("{{")) {
            return List.of();
        }
        Component component;
        try {
            component = camel.getComponent(scheme);
        } catch (RuntimeException e) {
            return List.of(); // an unknown component: Camel names it when the route starts
        }
        if (!(component instanceof ConnectorComponent vendor)) {
            return List.of();
        }
        List<SettingProblem> out = new ArrayList<>(vendor.settingProblems());
        Map<String, String> written = query(raw);
        for (String parameter : vendor.requiredParameters()) {
            String value = written.get(parameter);
            String resolved;
            try {
                resolved = value == null ? "" : unwrapRaw(camel.resolvePropertyPlaceholders(value));
            } catch (RuntimeException e) {
                resolved = ""; // a property that is not there at all is not set either
            }
            if (!resolved.isBlank()) {
                continue;
            }
            Matcher m = value == null ? null : PLACEHOLDER.matcher(value);
            if (m != null && m.find()) {
                String placeholder = m.group(1);
                if (placeholder.startsWith("env:")) {
                    String env = placeholder.substring(4).split(":", 2)[0];
                    out.add(new SettingProblem(null, null, "environment variable " + env + " (" + scheme + " " + parameter
                            + ") is not set"));
                } else {
                    out.add(SettingProblem.notSet(placeholder.split(":", 2)[0]));
                }
            } else {
                out.add(SettingProblem.of(null, "the parameter '" + parameter + "' of " + base(raw) + " has no value in its route"));
            }
        }
        return out;
    }

    private static void collect(ProcessorDefinition<?> node, List<String> uris) {
        if (node instanceof SendDefinition<?> send && send.getEndpointUri() != null) {
            uris.add(send.getEndpointUri());
        } else if (node instanceof ToDynamicDefinition toD && toD.getUri() != null) {
            uris.add(toD.getUri());
        }
        for (ProcessorDefinition<?> child : node.getOutputs()) {
            collect(child, uris);
        }
    }

    /** The endpoint without its options: {@code direct:x?a=b} → {@code direct:x}. */
    private static String base(String uri) {
        int q = uri.indexOf('?');
        return (q < 0 ? uri : uri.substring(0, q)).trim();
    }

    /** The options of an endpoint URI as written, values untouched (placeholders, RAW(…)). */
    private static Map<String, String> query(String uri) {
        Map<String, String> out = new HashMap<>();
        int q = uri.indexOf('?');
        if (q < 0) {
            return out;
        }
        for (String pair : uri.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
            }
        }
        return out;
    }

    private static String unwrapRaw(String value) {
        String v = value.trim();
        if ((v.startsWith("RAW(") && v.endsWith(")")) || (v.startsWith("RAW{") && v.endsWith("}"))) {
            return v.substring(4, v.length() - 1);
        }
        return v;
    }
}
