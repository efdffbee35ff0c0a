package io.ferry.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.pipeline.SyncRegistry;

/**
 * Spreads the syncs' leads over the replicas. An election keeps its leader until it stops, so the first replica up
 * leads every namespace; every {@code ferry.cluster.rebalance-interval} a replica that leads more namespaces than its
 * share (the namespaces over the replicas taking part, rounded up) gives up the lead of one whose sync is not running:
 * it leaves that election and joins it again at the back, and the next replica in line takes it. Who leads stays the
 * cluster service's decision; this only steps aside.
 */
final class LeaderBalancer {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderBalancer.class);

    private final CamelContext camel;
    private final CamelClusterService cluster;
    private final SyncLeadership leadership;
    private final Duration interval;

    LeaderBalancer(CamelContext camel, CamelClusterService cluster, SyncLeadership leadership, Duration interval) {
        this.camel = camel;
        this.cluster = cluster;
        this.leadership = leadership;
        this.interval = interval;
    }

    void start() {
        // Camel's executor: shut down with the context
        ScheduledExecutorService executor = camel.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "ferry-leader-balancer");
        executor.scheduleWithFixedDelay(() -> {
            try {
                balance();
            } catch (Exception e) {
                LOG.warn("the syncs' leads could not be spread: {}", e.getMessage());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Leaves the namespace's election and joins it again at the back. A view tells its listeners (the route policy) who
     * leads as it stops, when its election may not have let go yet: once it has, the view is stopped and started once
     * more, so that the policy hears that another replica leads and stops the sync's schedule here.
     */
    private void stepAside(String ns) throws Exception {
        cluster.stopView(ns);
        CamelClusterView view = cluster.getView(ns);
        try {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (view.getLocalMember().isLeader() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            cluster.startView(ns);
            cluster.stopView(ns);
            cluster.startView(ns);
        } finally {
            cluster.releaseView(view);
        }
    }

    /** Gives up at most one lead: the others' balancers see the change before the next. */
    void balance() throws Exception {
        Map<String, List<String>> syncsOf = new TreeMap<>();
        leadership.namespaces().forEach((sync, ns) -> syncsOf.computeIfAbsent(ns, n -> new ArrayList<>()).add(sync));
        if (syncsOf.size() < 2) {
            return;
        }
        int replicas = 1;
        List<String> led = new ArrayList<>();
        for (String ns : syncsOf.keySet()) {
            CamelClusterView view = cluster.getView(ns);
            try {
                replicas = Math.max(replicas, view.getMembers().size());
                if (view.getLocalMember().isLeader()) {
                    led.add(ns);
                }
            } finally {
                cluster.releaseView(view);
            }
        }
        int share = (syncsOf.size() + replicas - 1) / replicas;
        if (led.size() <= share) {
            return;
        }
        SyncRegistry syncs = camel.getRegistry().lookupByNameAndType(SyncRegistry.BEAN, SyncRegistry.class);
        for (String ns : led) {
            // a sync going on keeps its leader: stepping aside would stop its run with its schedule route
            if (syncs == null || syncsOf.get(ns).stream().noneMatch(syncs::isRunning)) {
                LOG.info("this replica leads {} of {} cluster namespaces with {} replicas taking part: it gives up the lead of {} "
                        + "(sync {}) to spread them", led.size(), syncsOf.size(), replicas, ns, String.join(", ", syncsOf.get(ns)));
                stepAside(ns);
                return;
            }
        }
    }
}
