package io.ferry.config;

import java.io.PrintStream;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.camel.model.RouteDefinition;

/**
 * Which syncs are configured: for each sync the settings its routes need that are not set (or not usable), each
 * with the environment variable it is read from. A sync with none is configured and runs; the others are
 * {@code not configured}: their routes stay stopped ({@link #routesToStop()}) and every report (start-up log,
 * {@code ferry sync}, {@code ferry status}, health, console) lists what is missing.
 */
public final class SyncConfiguration {

    /** The registry name Ferry binds it under. */
    public static final String BEAN = "ferrySyncConfiguration";

    private final Map<String, List<SettingProblem>> problems;
    private final Set<RouteDefinition> routesToStop = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, Set<String>> routeIds;

    SyncConfiguration(Map<String, List<SettingProblem>> problems, Set<RouteDefinition> routesToStop, Map<String, Set<String>> routeIds) {
        this.problems = new TreeMap<>(problems);
        this.routesToStop.addAll(routesToStop);
        this.routeIds = new TreeMap<>(routeIds);
    }

    /** A configuration that knows of no sync (nothing to report). */
    public static SyncConfiguration none() {
        return new SyncConfiguration(Map.of(), Set.of(), Map.of());
    }

    /** The ids of the sync's routes: its own, those it sends to (its sink) and those that start it (its schedule). */
    public Set<String> routeIds(String sync) {
        return routeIds.getOrDefault(sync, Set.of());
    }

    /** Every sync the routes declare, configured or not. */
    public Set<String> syncs() {
        return problems.keySet();
    }

    /** The syncs that are not configured, each with what it lacks. */
    public Map<String, List<SettingProblem>> notConfigured() {
        Map<String, List<SettingProblem>> out = new TreeMap<>();
        problems.forEach((sync, p) -> {
            if (!p.isEmpty()) {
                out.put(sync, p);
            }
        });
        return out;
    }

    /** True unless the sync is known and lacks a setting. */
    public boolean isConfigured(String sync) {
        return problems.getOrDefault(sync, List.of()).isEmpty();
    }

    /** What the sync lacks; empty when it is configured (or unknown). */
    public List<SettingProblem> problems(String sync) {
        return problems.getOrDefault(sync, List.of());
    }

    /** The ids of the routes that serve only syncs that are not configured. */
    public List<String> routesToStop() {
        return routesToStop.stream().map(r -> String.valueOf(r.getRouteId())).sorted().toList();
    }

    /** Keeps the routes that serve only syncs that are not configured from starting with the context. */
    public void keepRoutesStopped() {
        for (RouteDefinition route : routesToStop) {
            route.setAutoStartup("false");
        }
    }

    /** {@code not configured: a (A) is not set; b (B) is not set}, or null when the sync is configured. */
    public String message(String sync) {
        List<SettingProblem> p = problems(sync);
        return p.isEmpty() ? null : "not configured: " + p.stream().map(SettingProblem::toString).collect(Collectors.joining("; "));
    }

    /**
     * Prints a not-configured sync as a row of the {@code ferry sync} table (its name, {@code not configured}) and
     * one line per missing setting below it; prints nothing for a configured sync.
     *
     * @return true when the sync is not configured
     */
    public boolean printIfNotConfigured(String sync, PrintStream out) {
        List<SettingProblem> p = problems(sync);
        if (p.isEmpty()) {
            return false;
        }
        out.printf("%-34s %s%n", sync, "not configured");
        printProblems(sync, out);
        return true;
    }

    /** One indented line per missing setting of the sync, under its row of a table. */
    public void printProblems(String sync, PrintStream out) {
        for (SettingProblem problem : problems(sync)) {
            out.printf("%-34s %s%n", "", problem);
        }
    }
}
