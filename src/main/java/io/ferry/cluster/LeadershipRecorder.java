package io.ferry.cluster;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.state.FerryState;

/** Logs when this replica takes or loses the lead of a sync, and writes it to the sync's row for {@code ferry status}. */
final class LeadershipRecorder implements CamelClusterEventListener.Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(LeadershipRecorder.class);

    private final CamelContext camel;
    private final String sync;
    private final String namespace;
    private final AtomicBoolean leads = new AtomicBoolean();

    LeadershipRecorder(CamelContext camel, String sync, String namespace) {
        this.camel = camel;
        this.sync = sync;
        this.namespace = namespace;
    }

    @Override
    public void leadershipChanged(CamelClusterView view, CamelClusterMember leader) {
        boolean now = view.getLocalMember().isLeader();
        if (leads.getAndSet(now) == now) {
            return;
        }
        FerryState state = camel.getRegistry().lookupByNameAndType(FerryState.BEAN, FerryState.class);
        String node = state == null ? view.getLocalMember().getId() : state.node();
        if (now) {
            LOG.info("{}: this replica ({}) leads cluster namespace {} now: the sync's schedule runs here", sync, node, namespace);
        } else {
            LOG.info("{}: this replica ({}) no longer leads cluster namespace {}{}: the sync's schedule stops here", sync, node,
                    namespace, leader == null || leader.getId() == null ? "" : " (" + leader.getId() + " does)");
        }
        if (state == null) {
            return;
        }
        try {
            if (now) {
                state.leaders().led(sync, node);
            } else {
                state.leaders().released(sync, node);
            }
        } catch (RuntimeException e) {
            // only what `ferry status` shows; who leads is the cluster service's to say
            LOG.warn("{}: the change of leader could not be written to the state database: {}", sync, e.getMessage());
        }
    }
}
