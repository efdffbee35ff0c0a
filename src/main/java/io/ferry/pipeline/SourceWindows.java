package io.ferry.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Endpoint;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.processor.SendProcessor;

import io.ferry.kernel.Windows;
import io.ferry.kernel.source.SourceEndpoint;

/**
 * The check of a windowed sync against its source when its route starts: the route's source steps are found beside
 * its {@code ferry:start}, and a windowSize larger than their API accepts is refused then (a route-file error naming
 * both values), not at the first call.
 */
final class SourceWindows implements org.apache.camel.StartupListener {

    private final FerryEndpoint start;

    private SourceWindows(FerryEndpoint start) {
        this.start = start;
    }

    /** Checks the windowed ferry:start once its context has built and started every route (a producer starts too early). */
    static void checkOnStart(FerryEndpoint start) {
        try {
            start.getCamelContext().addStartupListener(new SourceWindows(start));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void onCamelContextStarted(org.apache.camel.CamelContext context, boolean alreadyStarted) throws Exception {
        start.setWindowOverlap(check(start, start.settings().window()));
    }

    /** Checks the window against the route's sources; returns the largest bound overlap they need. */
    static Duration check(Endpoint start, Windows.Spec window) throws FailedToStartRouteException {
        Duration overlap = Duration.ZERO;
        boolean found = false;
        for (Route route : start.getCamelContext().getRoutes()) {
            List<SourceEndpoint> sources = new ArrayList<>();
            boolean ours = false;
            for (Processor p : route.filter("*")) {
                if (p instanceof SendProcessor send) {
                    Endpoint d = send.getDestination();
                    ours |= d == start;
                    if (d instanceof SourceEndpoint source) {
                        sources.add(source);
                    }
                }
            }
            if (!ours) {
                continue;
            }
            for (SourceEndpoint source : sources) {
                found = true;
                Duration max = source.maxWindow();
                if (max != null && window.size().compareTo(max) > 0) {
                    throw new FailedToStartRouteException(route.getRouteId(), "windowSize=" + window.size() + " (" + human(window.size())
                            + ") is larger than the " + human(max) + " (" + max + ") that " + source.getEndpointUri()
                            + " accepts between its bounds; make windowSize at most " + max);
                }
                if (source.windowOverlap().compareTo(overlap) > 0) {
                    overlap = source.windowOverlap();
                }
            }
        }
        return found ? overlap : Duration.ofSeconds(1);
    }

    static String human(Duration d) {
        if (d.toSeconds() % 86_400 == 0) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        if (d.toSeconds() % 3600 == 0) {
            return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        }
        if (d.toSeconds() % 60 == 0) {
            return d.toMinutes() + " minutes";
        }
        return d.toSeconds() + " seconds";
    }
}
