package io.ferry.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.util.URISupport;

import io.ferry.config.TemplateParameters;

/**
 * What a sync route does with a record once it is read — its {@code ferry:map} mapping and its
 * {@code ferry:aggregate} sink — read from the route definitions, so that a dead letter can be replayed through
 * exactly the same steps outside a run.
 */
record SyncPlan(String mapping, String sink, int batchSize) {

    static Map<String, SyncPlan> fromRoutes(CamelContext camel) {
        Map<String, SyncPlan> plans = new HashMap<>();
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        for (RouteDefinition route : model.getRouteDefinitions()) {
            List<String> uris = new ArrayList<>();
            collect(route, uris);
            String sync = null;
            String mapping = null;
            String sink = null;
            int size = 20;
            for (String raw : uris) {
                String uri = camel.resolvePropertyPlaceholders(TemplateParameters.apply(route, raw));
                Map<String, Object> q = query(uri);
                if (uri.startsWith("ferry:start")) {
                    sync = (String) q.get("sync");
                } else if (uri.startsWith("ferry:map")) {
                    mapping = (String) q.get("mapping");
                } else if (uri.startsWith("ferry:aggregate")) {
                    sink = (String) q.get("sink");
                    size = q.get("size") == null ? size : Integer.parseInt(String.valueOf(q.get("size")).strip());
                }
            }
            if (sync != null && sink != null) {
                plans.put(sync, new SyncPlan(mapping, sink, size));
            }
        }
        return plans;
    }

    private static void collect(ProcessorDefinition<?> node, List<String> uris) {
        if (node instanceof ToDefinition to) {
            uris.add(to.getUri());
        }
        for (ProcessorDefinition<?> child : node.getOutputs()) {
            collect(child, uris);
        }
    }

    private static Map<String, Object> query(String uri) {
        int q = uri.indexOf('?');
        try {
            return q < 0 ? Map.of() : URISupport.parseQuery(uri.substring(q + 1));
        } catch (Exception e) {
            return Map.of();
        }
    }
}
