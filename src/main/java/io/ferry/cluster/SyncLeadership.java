package io.ferry.cluster;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;

/**
 * Which syncs this replica leads, bound as {@value #BEAN}: each sync's schedule route runs under a
 * {@link ClusteredRoutePolicy} of its cluster namespace ({@code ferry-<sync>}, or the group its
 * {@code ferry.sync.<sync>.cluster-namespace} names), over the {@link CamelClusterService} bean the configuration
 * declares. Without one, every sync is {@link Role#NOT_CLUSTERED} and runs here as on a single replica.
 */
public class SyncLeadership {

    public static final String BEAN = "ferryLeadership";

    /** What this replica is to a sync. */
    public enum Role {
        /** the cluster chose this replica: the sync's schedule runs here */
        LEADS("leads"),
        /** another replica leads (or none yet): the schedule waits here */
        FOLLOWS("follows"),
        /** ferry.cluster.syncs leaves the sync out: this replica never runs its schedule */
        NOT_HERE("does not take part"),
        /** no cluster service: the sync's schedule runs here, as on a single replica */
        NOT_CLUSTERED("not clustered");

        private final String text;

        Role(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private static final SyncLeadership NONE = new SyncLeadership(null);

    private final CamelClusterService service;
    private final Map<String, ClusteredRoutePolicy> policies = new TreeMap<>();
    private final Map<String, String> namespaces = new TreeMap<>();
    private final Set<String> notHere = new TreeSet<>();

    SyncLeadership(CamelClusterService service) {
        this.service = service;
    }

    /** The context's leadership, or that of a replica without a cluster service. */
    public static SyncLeadership of(CamelContext camel) {
        SyncLeadership l = camel == null ? null : camel.getRegistry().lookupByNameAndType(BEAN, SyncLeadership.class);
        return l == null ? NONE : l;
    }

    synchronized void clustered(String sync, String namespace, ClusteredRoutePolicy policy) {
        policies.put(sync, policy);
        namespaces.put(sync, namespace);
    }

    synchronized void leftOut(String sync) {
        notHere.add(sync);
    }

    public boolean isClustered() {
        return service != null;
    }

    /** The cluster service's id for this replica (ferry.node by the documented settings), or null. */
    public String memberId() {
        return service == null ? null : service.getId();
    }

    public synchronized Role role(String sync) {
        if (service == null) {
            return Role.NOT_CLUSTERED;
        }
        if (notHere.contains(sync)) {
            return Role.NOT_HERE;
        }
        ClusteredRoutePolicy p = policies.get(sync);
        // a sync with no policy (schedules off, as in `ferry sync`) runs when asked, as without a cluster
        return p == null ? Role.NOT_CLUSTERED : p.isLeader() ? Role.LEADS : Role.FOLLOWS;
    }

    /** The cluster namespace whose leader runs the sync, or null when it is not clustered here. */
    public synchronized String namespace(String sync) {
        return namespaces.get(sync);
    }

    /** The syncs under a clustered policy here, with their namespaces. */
    public synchronized Map<String, String> namespaces() {
        return Map.copyOf(namespaces);
    }

    /** The member the cluster says leads the sync's namespace now, as far as this replica knows. */
    public Optional<String> leader(String sync) {
        String ns = namespace(sync);
        if (ns == null) {
            return Optional.empty();
        }
        try {
            CamelClusterView view = service.getView(ns);
            try {
                return view.getLeader().map(CamelClusterMember::getId);
            } finally {
                service.releaseView(view);
            }
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
