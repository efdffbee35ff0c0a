package io.ferry.observe;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.api.management.mbean.ManagedRouteMBean;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Camel's exchange counts per route, read from its JMX statistics (camel.main.jmx-management-statistics-level):
 * {@code camel_exchanges_total}, {@code camel_exchanges_failed_total} and {@code camel_exchanges_inflight}, each
 * tagged {@code routeId}. Reading them costs nothing on the routes' threads.
 */
class CamelRouteMeters implements MeterBinder {

    private final CamelContext camel;

    CamelRouteMeters(CamelContext camel) {
        this.camel = camel;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        ManagedCamelContext managed = camel.getCamelContextExtension().getContextPlugin(ManagedCamelContext.class);
        if (managed == null) {
            return; // JMX is off: Camel keeps no statistics
        }
        for (Route route : camel.getRoutes()) {
            String id = route.getRouteId();
            FunctionCounter.builder("camel.exchanges", managed, m -> stat(m, id, 0)).tag("routeId", id)
                    .description("exchanges the route processed").register(registry);
            FunctionCounter.builder("camel.exchanges.failed", managed, m -> stat(m, id, 1)).tag("routeId", id)
                    .description("exchanges of the route that failed").register(registry);
            Gauge.builder("camel.exchanges.inflight", managed, m -> stat(m, id, 2)).tag("routeId", id)
                    .description("exchanges in the route now").register(registry);
        }
    }

    private static double stat(ManagedCamelContext managed, String routeId, int which) {
        ManagedRouteMBean route = managed.getManagedRoute(routeId);
        if (route == null) {
            return Double.NaN;
        }
        return switch (which) {
        case 0 -> route.getExchangesTotal();
        case 1 -> route.getExchangesFailed();
        default -> route.getExchangesInflight();
        };
    }
}
