package io.ferry.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.kernel.ConfigurationException;

/**
 * The syncs' schedules under the cluster service the configuration declares (docs/scaling.md): each sync's schedule
 * route {@code <sync>-schedule} gets a {@link ClusteredRoutePolicy} of its namespace ({@code ferry-<sync>}, or the
 * group {@code ferry.sync.<sync>.cluster-namespace} names), a sync that {@code ferry.cluster.syncs} leaves out keeps its
 * schedule stopped, and the leads are spread. Without a cluster service, or with the schedules off (as in
 * {@code ferry sync}), nothing changes.
 */
public final class ClusteredSchedules {

    /** The bean of the cluster service the syncs' schedules run under (camel.beans.ferryCluster). */
    public static final String CLUSTER_BEAN = "ferryCluster";

    private static final Logger LOG = LoggerFactory.getLogger(ClusteredSchedules.class);

    private final CamelContext camel;
    private final CamelClusterService cluster;
    private final SyncLeadership leadership;
    private final Map<String, ClusteredRoutePolicy> policies = new HashMap<>();

    private ClusteredSchedules(CamelContext camel, CamelClusterService cluster) {
        this.camel = camel;
        this.cluster = cluster;
        this.leadership = new SyncLeadership(cluster);
    }

    /** Before the routes are made: the cluster service ready, a policy for each sync taking part. */
    public static ClusteredSchedules prepare(CamelContext camel, List<String> syncs) {
        boolean schedules = Boolean.parseBoolean(camel.getPropertiesComponent().resolveProperty("ferry.schedules.enabled").orElse("true"));
        CamelClusterService cluster = schedules ? clusterService(camel) : null;
        ClusteredSchedules clustering = new ClusteredSchedules(camel, cluster);
        if (cluster == null) {
            return clustering;
        }
        // the routes (and their policies, which ask the service for views) are made before Camel starts its services
        CamelContextAware.trySetCamelContext(cluster, camel);
        ServiceHelper.initService(cluster);
        // a bean of camel.beans.* is not a service of the context: started with it, stopped when it stops
        try {
            camel.addService(cluster, true, false);
        } catch (Exception e) {
            throw new IllegalStateException("the cluster service could not be added: " + e.getMessage(), e);
        }
        Set<String> only = takingPart(camel, syncs);
        for (String sync : syncs) {
            if (!only.isEmpty() && !only.contains(sync)) {
                clustering.leadership.leftOut(sync);
                LOG.info("sync {}: not in ferry.cluster.syncs, its schedule never runs on this replica", sync);
            } else {
                clustering.policies.put(sync + "-schedule", clusterPolicy(camel, cluster, clustering.leadership, sync));
            }
        }
        return clustering;
    }

    /** False for a sync whose schedule never runs on this replica. */
    public boolean takesPart(String sync) {
        return leadership.role(sync) != SyncLeadership.Role.NOT_HERE;
    }

    /**
     * Sets the policies on the schedule routes' definitions (the YAML DSL has no route policy field), and the same on
     * a sync's scheduled reconcile: it runs where the schedule does, on the leader.
     */
    public void applyTo(Model model) {
        policies.forEach((route, policy) -> {
            model.getRouteDefinition(route).routePolicy(policy);
            RouteDefinition reconcile = model.getRouteDefinition(route.substring(0, route.length() - "-schedule".length()) + "-reconcile");
            if (reconcile != null) {
                reconcile.routePolicy(policy);
            }
        });
    }

    /** Binds {@value SyncLeadership#BEAN} and starts the spreading of leads once Camel runs. */
    public void bind() {
        camel.getRegistry().bind(SyncLeadership.BEAN, leadership);
        if (cluster != null) {
            balanceLeads(camel, cluster, leadership);
        }
    }

    /** The cluster service bean {@value #CLUSTER_BEAN} declares, else the only one declared, or null when there is none. */
    private static CamelClusterService clusterService(CamelContext camel) {
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
    private static Set<String> takingPart(CamelContext camel, List<String> syncs) {
        Set<String> only = new TreeSet<>();
        for (String name : camel.getPropertiesComponent().resolveProperty("ferry.cluster.syncs").orElse("").split(",")) {
            if (!name.isBlank()) {
                only.add(name.strip());
            }
        }
        Set<String> unknown = new TreeSet<>(only);
        unknown.removeAll(syncs);
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
}
