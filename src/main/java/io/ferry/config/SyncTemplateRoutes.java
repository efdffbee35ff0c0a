package io.ferry.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.Model;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.cluster.ClusteredSchedules;

/**
 * Completes every sync made from the route template {@value #TEMPLATE} (routes/ferry-templates.yaml), once the route
 * files are loaded and before any route starts: adds its schedule route ({@code <sync>-schedule}: Quartz with the
 * template's cron, or the property {@code ferry.sync.<sync>.cron}, started when {@code ferry.schedules.enabled}) and
 * its sink route ({@code <sync>-write}: the template's sink, under the {@code ferry-sync} route configuration, so a
 * write that may pass is retried), and, when {@code ferry.sync.<sync>.reconcile.cron} is set, its reconcile route
 * ({@code <sync>-reconcile}). A Camel route template makes one route; these belong to every sync, so a route file names
 * none of them. With a cluster service declared, the schedule and the reconcile run only on the sync's leader
 * (ClusteredSchedules).
 */
public class SyncTemplateRoutes extends MainListenerSupport {

    public static final String TEMPLATE = "ferry-sync";

    /** The template's required parameters, which together mark a route made from it. */
    static final java.util.Set<String> PARAMETERS = java.util.Set.of("sync", "key", "source", "mapping", "sink");

    private static final Logger LOG = LoggerFactory.getLogger(SyncTemplateRoutes.class);

    /** A sync made from the template: its name, the sink URI and the cron, as the templatedRoute gave them. */
    public record TemplatedSync(String sync, String sink, String cron, String mapping) {
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        addRoutes(main.getCamelContext());
    }

    public static void addRoutes(CamelContext camel) {
        StringBuilder yaml = new StringBuilder();
        List<TemplatedSync> templated = syncs(camel);
        ClusteredSchedules clustering = ClusteredSchedules.prepare(camel, templated.stream().map(TemplatedSync::sync).toList());
        for (TemplatedSync s : templated) {
            String cron = s.cron() == null || s.cron().isBlank()
                    ? camel.getPropertiesComponent().resolveProperty("ferry.sync." + s.sync() + ".cron").orElse("")
                    : s.cron();
            if (cron.isBlank()) {
                throw new IllegalArgumentException("sync " + s.sync() + ": no schedule; give the template parameter cron or the property"
                        + " ferry.sync." + s.sync() + ".cron");
            }
            // a sync this replica takes no part in never runs its schedule here
            String autoStartup = clustering.takesPart(s.sync()) ? "{{ferry.schedules.enabled}}" : "false";
            // loaded as a route file is, so that the ferry-sync route configuration applies as to any other route
            yaml.append("""
                    - route:
                        id: "%1$s-schedule"
                        autoStartup: "%4$s"
                        from:
                          uri: "quartz:ferry/%1$s"
                          parameters:
                            cron: "%2$s"
                          steps:
                            - to: "direct:%1$s"
                    - route:
                        id: "%1$s-write"
                        routeConfigurationId: ferry-sync
                        from:
                          uri: "direct:%1$s-write"
                          steps:
                            - to: %3$s
                    """.formatted(s.sync(), cron.strip().replace("\"", "\\\""), quoted(s.sink()), autoStartup));
            String reconcile = camel.getPropertiesComponent().resolveProperty("ferry.sync." + s.sync() + ".reconcile.cron").orElse("");
            if (!reconcile.isBlank()) {
                // the scheduled reconcile (docs/preview-and-reconcile.md): recorded in the run history, repaired when
                // ferry.sync.<sync>.reconcile.repair is true
                yaml.append("""
                        - route:
                            id: "%1$s-reconcile"
                            autoStartup: "%3$s"
                            from:
                              uri: "quartz:ferry/%1$s-reconcile"
                              parameters:
                                cron: "%2$s"
                              steps:
                                - bean:
                                    ref: ferryReconciler
                                    method: "scheduled('%1$s')"
                        """.formatted(s.sync(), reconcile.strip().replace("\"", "\\\""), autoStartup));
            }
            LOG.debug("sync {}: schedule '{}', sink {}", s.sync(), cron, s.sink());
        }
        clustering.bind();
        if (yaml.isEmpty()) {
            return;
        }
        try {
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("ferry-sync-routes.yaml", yaml.toString()));
            clustering.applyTo(camel.getCamelContextExtension().getContextPlugin(Model.class));
        } catch (Exception e) {
            throw new IllegalStateException("the schedule and sink routes of the templated syncs could not be added: " + e.getMessage(), e);
        }
    }

    /** A YAML double-quoted string (the sink URI holds quotes, colons and # as SQL and URIs do). */
    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + '"';
    }

    /** The syncs made from the template, with their parameters' values (property placeholders resolved but the sink's). */
    public static List<TemplatedSync> syncs(CamelContext camel) {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        List<TemplatedSync> syncs = new ArrayList<>();
        for (RouteDefinition route : model.getRouteDefinitions()) {
            Map<String, Object> p = route.getTemplateParameters();
            // Camel keeps a templated route's parameters but not its template's id: the template's parameters say it
            if (!route.isCreatedFromTemplate() || p == null || !p.keySet().containsAll(PARAMETERS)) {
                continue;
            }
            // the sink as written: its property placeholders resolve in its route, where the settings check names them
            syncs.add(new TemplatedSync(value(camel, p, "sync"), String.valueOf(p.get("sink")), value(camel, p, "cron"),
                    value(camel, p, "mapping")));
        }
        return syncs;
    }

    private static String value(CamelContext camel, Map<String, Object> p, String name) {
        Object v = p.get(name);
        return v == null ? null : camel.resolvePropertyPlaceholders(String.valueOf(v));
    }
}
