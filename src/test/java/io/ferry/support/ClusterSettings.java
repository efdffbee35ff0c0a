package io.ferry.support;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** The cluster settings a test or benchmark replica starts with: those the deployments in deploy/ ship. */
public final class ClusterSettings {

    private ClusterSettings() {
    }

    /** The compose deployment's cluster service (deploy/compose/cluster.properties) on {@code zookeeper}, as deployed. */
    public static Map<String, String> deployedZookeeper(String node, String zookeeper) {
        Map<String, String> p = deployed("deploy/compose/cluster.properties");
        p.put("ferry.node", node);
        p.put("camel.beans.ferryCluster.nodes", zookeeper);
        return p;
    }

    /** A test replica's settings: {@link #deployedZookeeper} with sessions that end sooner. */
    public static Map<String, String> zookeeper(String node, String zookeeper) {
        Map<String, String> p = deployedZookeeper(node, zookeeper);
        // sessions end sooner than the deployment's, so that a test's take-over does not wait 10 s
        p.put("camel.beans.ferryCluster.sessionTimeout", "4000");
        p.put("camel.beans.ferryCluster.connectTimeout", "4000");
        return p;
    }

    /** The properties of a deployment's file, as FERRY_CONFIG_EXTRA adds them. */
    public static Map<String, String> deployed(String file) {
        Properties properties = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(file))) {
            properties.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> p = new HashMap<>();
        properties.stringPropertyNames().forEach(k -> p.put(k, properties.getProperty(k)));
        return p;
    }
}
