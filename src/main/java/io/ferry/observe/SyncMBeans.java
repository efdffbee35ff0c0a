package io.ferry.observe;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.cluster.SyncLeadership;
import io.ferry.pipeline.SyncRegistry;
import io.ferry.state.FerryState;

/** Registers one {@link SyncControl} per sync with the platform MBeanServer, and removes them when Ferry stops. */
public class SyncMBeans {

    private static final Logger LOG = LoggerFactory.getLogger(SyncMBeans.class);

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final List<ObjectName> registered = new ArrayList<>();

    public static ObjectName name(String sync) {
        try {
            // quote only names that need it, so that the usual names read io.ferry:type=sync,name=jst-shops-to-mysql
            String value = sync.matches("[A-Za-z0-9._\\-]+") ? sync : ObjectName.quote(sync);
            return new ObjectName("io.ferry:type=sync,name=" + value);
        } catch (Exception e) {
            throw new IllegalArgumentException("no JMX name for sync '" + sync + "'", e);
        }
    }

    public synchronized void register(SyncRegistry syncs, FerryState state, OpenDeadLetters deadLetters, SyncActions actions,
            SyncLeadership leadership) {
        for (String sync : syncs.names()) {
            ObjectName n = name(sync);
            try {
                // a previous Ferry in this JVM (a restart in tests) may have left its MBean
                if (server.isRegistered(n)) {
                    server.unregisterMBean(n);
                }
                server.registerMBean(new SyncControl(sync, state, syncs, deadLetters, actions, leadership), n);
                registered.add(n);
            } catch (Exception e) {
                LOG.warn("JMX: cannot register {}: {}", n, e.toString());
            }
        }
    }

    public synchronized void unregisterAll() {
        for (ObjectName n : registered) {
            try {
                if (server.isRegistered(n)) {
                    server.unregisterMBean(n);
                }
            } catch (Exception e) {
                LOG.debug("JMX: cannot unregister {}: {}", n, e.toString());
            }
        }
        registered.clear();
    }
}
