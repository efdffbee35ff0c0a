package io.ferry.reconcile;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

import io.ferry.config.TemplateParameters;

/**
 * How a sync's target is read back for a reconcile, from its templatedRoute's parameters (routes/ferry-templates.yaml):
 * {@code reconcileTarget} (the endpoint whose answer is the target's rows), {@code reconcileKey} (the target row's field
 * holding the sync's key; default: the sync's key field), {@code reconcileFields} (the fields compared; default: every
 * field both rows have) and {@code reconcileZone} (the zone the target's wall-clock times are in; default: this JVM's).
 */
public record ReconcileSpec(String sync, String target, String targetKey, List<String> fields, ZoneId zone) {

    /** The parameters' names, as the template declares them. */
    public static final List<String> PARAMETERS = List.of("reconcileTarget", "reconcileKey", "reconcileFields", "reconcileZone");

    /**
     * The sync's reconcile settings.
     *
     * @param keyField the sync's key field (its ferry:start key), the target key when reconcileKey is not given
     * @throws CannotReconcileException when the sync declares no reconcileTarget, or a value is not valid
     */
    public static ReconcileSpec of(CamelContext camel, String sync, String keyField) {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition route = model.getRouteDefinition(sync);
        Map<String, Object> p = route == null ? null : route.getTemplateParameters();
        String target = value(camel, route, p, "reconcileTarget");
        if (target.isBlank()) {
            throw new CannotReconcileException(sync + " declares no reconcileTarget (the endpoint its target's rows are read "
                    + "from, e.g. sql:SELECT … or kingdee:query?…): its target cannot be read, so it cannot be reconciled "
                    + "(docs/preview-and-reconcile.md)");
        }
        String key = value(camel, route, p, "reconcileKey");
        String fields = value(camel, route, p, "reconcileFields");
        String zone = value(camel, route, p, "reconcileZone");
        ZoneId zoneId;
        try {
            zoneId = zone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(zone.strip());
        } catch (DateTimeException e) {
            throw new CannotReconcileException(sync + ": reconcileZone '" + zone + "' is not a time zone (e.g. Asia/Shanghai)");
        }
        return new ReconcileSpec(sync, target.strip(), key.isBlank() ? keyField : key.strip(),
                fields.isBlank() ? List.of() : Arrays.stream(fields.split(",")).map(String::strip).filter(f -> !f.isEmpty()).toList(),
                zoneId);
    }

    private static String value(CamelContext camel, RouteDefinition route, Map<String, Object> p, String name) {
        Object v = p == null ? null : p.get(name);
        if (v == null) {
            return "";
        }
        // the target's own placeholders (${windowStart}) are not Camel's: only {{…}} are resolved here
        return camel.resolvePropertyPlaceholders(TemplateParameters.apply(route, String.valueOf(v)));
    }
}
