package io.ferry.operate;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;

/**
 * Pauses and resumes a sync's schedule: its route {@code <sync>-schedule} suspended and resumed with Camel's route
 * controller. A pause holds until resumed or until Ferry restarts; a run going on is not stopped by it.
 */
public final class Schedules {

    /** What a pause or resume did: {@code changed} false with {@code why} when there was nothing to do. */
    public record Outcome(boolean changed, String status, String why) {
    }

    private final CamelContext camel;

    public Schedules(CamelContext camel) {
        this.camel = camel;
    }

    public static String routeId(String sync) {
        return sync + "-schedule";
    }

    public boolean paused(String sync) {
        return status(sync) == ServiceStatus.Suspended;
    }

    /** The schedule route's status, or null when the sync has no schedule route here. */
    public ServiceStatus status(String sync) {
        return camel.getRoute(routeId(sync)) == null ? null : camel.getRouteController().getRouteStatus(routeId(sync));
    }

    public Outcome pause(String sync) throws Exception {
        ServiceStatus s = status(sync);
        if (s == null) {
            return new Outcome(false, null, sync + " has no schedule in this process");
        }
        if (s == ServiceStatus.Suspended) {
            return new Outcome(false, "paused", "the schedule of " + sync + " is paused already");
        }
        if (!s.isStarted()) {
            return new Outcome(false, s.name().toLowerCase(), "the schedule of " + sync + " is not started (ferry.schedules.enabled)");
        }
        camel.getRouteController().suspendRoute(routeId(sync));
        return new Outcome(true, "paused", null);
    }

    public Outcome resume(String sync) throws Exception {
        ServiceStatus s = status(sync);
        if (s == null) {
            return new Outcome(false, null, sync + " has no schedule in this process");
        }
        if (s != ServiceStatus.Suspended) {
            return new Outcome(false, s.name().toLowerCase(), "the schedule of " + sync + " is not paused");
        }
        camel.getRouteController().resumeRoute(routeId(sync));
        return new Outcome(true, "started", null);
    }
}
