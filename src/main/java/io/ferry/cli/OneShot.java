package io.ferry.cli;

import java.util.HashMap;
import java.util.Map;

/**
 * The properties of a command that does its job and exits (sync, replay, discard): it may run beside a running
 * Ferry on the same state database, so it starts none of what a running Ferry holds, its schedules, management
 * server, console and sync MBeans.
 */
final class OneShot {

    private OneShot() {
    }

    /** @param properties what the command sets itself; the one-shot settings are added where it set nothing */
    static Map<String, String> properties(Map<String, String> properties) {
        Map<String, String> p = new HashMap<>(properties);
        p.put("ferry.schedules.enabled", "false");
        p.putIfAbsent("ferry.management.enabled", "false");
        p.putIfAbsent("ferry.console.enabled", "false");
        p.putIfAbsent("ferry.jmx.enabled", "false");
        return p;
    }

    /**
     * replay and discard also leave the runs in the state database alone: a run left 'running' may be the running
     * Ferry's own (closing runs left by a dead process is for the Ferry that starts on its node, or a sync).
     */
    static Map<String, String> besideARunningFerry(Map<String, String> properties) {
        Map<String, String> p = properties(properties);
        p.putIfAbsent("ferry.close-abandoned-runs", "false");
        return p;
    }
}
