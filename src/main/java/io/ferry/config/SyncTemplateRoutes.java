package io.ferry.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.Model;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.kernel.ConfigurationException;

/**
 * Completes every sync made from the route template {@value #TEMPLATE} (routes/ferry-templates.yaml), once the route
 * files are loaded and before any route starts: adds its schedule route ({@code <sync>-schedule}: Quartz with the
 * template's cron, or the property {@code ferry.sync.<sync>.cron}, started when {@code ferry.schedules.enabled}) and
 * its sink route ({@code <sync>-write}: the template's sink, under the {@code ferry-sync} route configuration, so a
 * write that may pass is retried). A Camel route template makes one route; these two belong to every sync, so a route
 * file names neither.
 */
public class SyncTemplateRoutes extends MainListenerSupport {

    public static final String TEMPLATE = "ferry-sync";
    /** The bean of the cluster service the syncs' schedules run under (camel.beans.ferryCluster). */
    public static final String CLUSTER_BEAN = "ferryCluster";

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
        CamelClusterService cluster = clusterService(camel);
        boolean schedules = Boolean.parseBoolean(camel.getPropertiesComponent().resolveProperty("ferry.schedules.enabled").orElse("true"));
        SyncLeadership leadership = new SyncLeadership(cluster);
        if (cluster != null && schedules) {
            // the routes (and their policies, which ask the service for views) are made before Camel starts its services
            CamelContextAware.trySetCamelContext(cluster, camel);
            ServiceHelper.initService(cluster);
            // a bean of camel.beans.* is not a service of the context: started with it, stopped when it stops
            try {
                camel.addService(cluster, true, false);
            } catch (Exception e) {
                throw new IllegalStateException("the cluster service could not be added: " + e.getMessage(), e);
            }
        }
        Set<String> only = takingPart(camel, templated);
        Map<String, ClusteredRoutePolicy> policies = new java.util.HashMap<>();
        for (TemplatedSync s : templated) {
            String cron = s.cron() == null || s.cron().isBlank()
                    ? camel.getPropertiesComponent().resolveProperty("ferry.sync." + s.sync() + ".cron").orElse("")
                    : s.cron();
            if (cron.isBlank()) {
                throw new IllegalArgumentException("sync " + s.sync() + ": no schedule; give the template parameter cron or the property"
                        + " ferry.sync." + s.sync() + ".cron");
            }
            String autoStartup = "{{ferry.schedules.enabled}}";
            if (cluster != null && schedules) {
                if (!only.isEmpty() && !only.contains(s.sync())) {
                    autoStartup = "false";
                    leadership.leftOut(s.sync());
                    LOG.info("sync {}: not in ferry.cluster.syncs, its schedule never runs on this replica", s.sync());
                } else {
                    policies.put(s.sync() + "-schedule", clusterPolicy(camel, cluster, leadership, s.sync()));
                }
            }
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
            LOG.debug("sync {}: schedule '{}', sink {}", s.sync(), cron, s.sink());
        }
        camel.getRegistry().bind(SyncLeadership.BEAN, leadership);
        if (cluster != null && schedules) {
            balanceLeads(camel, cluster, leadership);
        }
        if (yaml.isEmpty()) {
            return;
        }
        try {
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("ferry-sync-routes.yaml", yaml.toString()));
            // the YAML DSL has no route policy field: set on the definitions, which become routes when Camel starts
            Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
            policies.forEach((route, policy) -> model.getRouteDefinition(route).routePolicy(policy));
        } catch (Exception e) {
            throw new IllegalStateException("the schedule and sink routes of the templated syncs could not be added: " + e.getMessage(), e);
        }
    }

    /** The cluster service bean {@value #CLUSTER_BEAN} declares, else the only one declared, or null when there is none. */
    static CamelClusterService clusterService(CamelContext camel) {
        CamelClusterService named = camel.getRegistry().lookupByNameAndType(CLUSTER_BEAN, CamelClusterService.class);
        if (named != null) {
            return named;
        }
        Set<CamelClusterService> services = camel.getRegistry().findByType(CamelClusterService.class);
        if (services.size() > 1) {
            throw new ConfigurationException("more than one cluster service is declared (" + services.size()
                    + ") and none is named " + CLUSTER_BEAN + " (docs/scaling.md)");
        }
        return services.isEmpty() ? null : services.iterator().next();
    }

    /** Starts the spreading of leads once Camel runs (ferry.cluster.rebalance-interval; 0 leaves the leads where they fall). */
    private static void balanceLeads(CamelContext camel, CamelClusterService cluster, SyncLeadership leadership) {
        String value = camel.getPropertiesComponent().resolveProperty("ferry.cluster.rebalance-interval").orElse("PT30S").strip();
        java.time.Duration interval;
        try {
            interval = value.matches("\\d+") ? java.time.Duration.ofSeconds(Long.parseLong(value)) : java.time.Duration.parse(value);
        } catch (RuntimeException e) {
            throw new ConfigurationException("ferry.cluster.rebalance-interval = " + value + " is not a duration (seconds, or ISO-8601 such as PT30S)");
        }
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        LeaderBalancer balancer = new LeaderBalancer(camel, cluster, leadership, interval);
        try {
            camel.addStartupListener(new ExtendedStartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                    balancer.start();
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("the spreading of the syncs' leads could not be set up: " + e.getMessage(), e);
        }
    }

    /** ferry.cluster.syncs: the syncs this replica may lead (all when empty); a name no sync has is an error. */
    private static Set<String> takingPart(CamelContext camel, List<TemplatedSync> syncs) {
        Set<String> only = new TreeSet<>();
        for (String name : camel.getPropertiesComponent().resolveProperty("ferry.cluster.syncs").orElse("").split(",")) {
            if (!name.isBlank()) {
                only.add(name.strip());
            }
        }
        Set<String> unknown = new TreeSet<>(only);
        syncs.forEach(s -> unknown.remove(s.sync()));
        if (!unknown.isEmpty()) {
            throw new ConfigurationException("ferry.cluster.syncs names no sync: " + String.join(", ", unknown));
        }
        return only;
    }

    /**
     * The sync's schedule runs only on the leader of its namespace: a {@link ClusteredRoutePolicy}; the replica
     * records in the state database when it takes and loses the lead.
     */
    private static ClusteredRoutePolicy clusterPolicy(CamelContext camel, CamelClusterService cluster, SyncLeadership leadership, String sync) {
        String namespace = camel.getPropertiesComponent().resolveProperty("ferry.sync." + sync + ".cluster-namespace")
                .filter(n -> !n.isBlank()).orElse("ferry-" + sync).strip();
        ClusteredRoutePolicy policy;
        try {
            policy = ClusteredRoutePolicy.forNamespace(cluster, namespace);
            policy.setCamelContext(camel);
            leadership.clustered(sync, namespace, policy);
            // the service makes its views once it has started, and its leader may be chosen before this listens
            camel.addStartupListener(new ExtendedStartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                    CamelClusterView view = cluster.getView(namespace);
                    LeadershipRecorder recorder = new LeadershipRecorder(camel, sync, namespace);
                    view.addEventListener(recorder);
                    recorder.leadershipChanged(view, view.getLeader().orElse(null));
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("sync " + sync + ": its cluster policy (namespace " + namespace + ") could not be made: "
                    + e.getMessage(), e);
        }
        LOG.info("sync {}: its schedule runs on the leader of cluster namespace {}", sync, namespace);
        return policy;
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
