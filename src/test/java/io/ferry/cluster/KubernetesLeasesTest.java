package io.ferry.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import io.ferry.FerryApp;
import io.ferry.cluster.SyncLeadership;
import io.ferry.cluster.SyncLeadership.Role;
import io.ferry.sandbox.Sandbox;
import io.ferry.support.ClusterSettings;
import io.ferry.support.TestDatabases;

/**
 * The Kubernetes Lease cluster service as deploy/kubernetes/cluster.properties declares it, against fabric8's in-memory Kubernetes
 * API server (a real HTTP server that stores what it is sent): Ferry builds the bean from the configuration, becomes
 * the leader of each sync's namespace through a Lease of its own, and starts the sync's schedule.
 */
class KubernetesLeasesTest {

    private static final String SYNC = "jst-shops-to-mysql";

    @Test
    void theLeaseServiceFromTheConfigurationLeadsEachSyncThroughItsOwnLease() throws Exception {
        KubernetesMockServer api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        api.init();
        try (NamespacedKubernetesClient k8s = api.createClient(); Sandbox sandbox = new Sandbox(10)) {
            // the pod the service looks itself up as: running and ready
            k8s.pods().inNamespace("ferry").resource(new PodBuilder().withNewMetadata().withName("ferry-0").withNamespace("ferry")
                    .addToLabels("app", "ferry").endMetadata().withNewSpec().endSpec().withNewStatus().withPhase("Running")
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();

            // camel-kubernetes 4.18.0's lease views build their client from fabric8's own defaults, not from masterUrl
            System.setProperty("kubernetes.master", k8s.getMasterUrl().toString());
            System.setProperty("kubernetes.auth.tryKubeConfig", "false");
            System.setProperty("kubernetes.auth.tryServiceAccount", "false");
            Map<String, String> p = new HashMap<>(sandbox.properties());
            p.put("ferry.state.url", TestDatabases.newH2Database());
            p.put("ferry.state.username", "sa");
            p.put("ferry.bi.url", "");
            p.put("ferry.console.enabled", "false");
            p.put("ferry.management.enabled", "false");
            p.put("ferry.node", "ferry-0");
            p.put("ferry.sync." + SYNC + ".cron", "0 0 0 1 1 ? 2099");
            p.put("ferry.cluster.syncs", SYNC);
            // the Kubernetes deployment's cluster service, in the namespace the pod would be told
            p.putAll(ClusterSettings.deployed("deploy/kubernetes/cluster.properties"));
            p.put("camel.beans.ferryCluster.masterUrl", k8s.getMasterUrl().toString());
            p.put("camel.beans.ferryCluster.kubernetesResourcesNamespace", "ferry");
            // leases shorter than the deployment's, so that the test does not wait for them
            p.put("camel.beans.ferryCluster.leaseDurationMillis", "3000");
            p.put("camel.beans.ferryCluster.renewDeadlineMillis", "2000");
            p.put("camel.beans.ferryCluster.retryPeriodMillis", "500");
            try (FerryApp app = new FerryApp(p).start()) {
                SyncLeadership leadership = SyncLeadership.of(app.camel());
                ClusteredSchedulesTest.await(() -> leadership.role(SYNC) == Role.LEADS, "ferry-0 leads " + SYNC);
                assertThat(app.camel().getRouteController().getRouteStatus(SYNC + "-schedule")).isEqualTo(ServiceStatus.Started);
                Lease lease = k8s.leases().inNamespace("ferry").withName("ferry-leaders-ferry-" + SYNC).get();
                assertThat(lease).as("the Lease of the sync's namespace").isNotNull();
                assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("ferry-0");
                // ferry.cluster.syncs leaves the others out: no schedule, no Lease
                assertThat(leadership.role("wdt-shops-to-kingdee-customers")).isEqualTo(Role.NOT_HERE);
                assertThat(app.camel().getRouteController().getRouteStatus("wdt-shops-to-kingdee-customers-schedule"))
                        .isEqualTo(ServiceStatus.Stopped);
                assertThat(k8s.leases().inNamespace("ferry").withName("ferry-leaders-ferry-wdt-shops-to-kingdee-customers").get()).isNull();
            }
        } finally {
            System.clearProperty("kubernetes.master");
            System.clearProperty("kubernetes.auth.tryKubeConfig");
            System.clearProperty("kubernetes.auth.tryServiceAccount");
            api.destroy();
        }
    }
}
