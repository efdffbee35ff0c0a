package io.ferry.operate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

import io.ferry.observe.OpenDeadLetters;
import io.ferry.observe.SyncActions;
import io.ferry.observe.SyncStatus;
import io.ferry.pipeline.SyncRegistry;
import io.ferry.pipeline.SyncRun;
import io.ferry.state.FerryState;
import io.ferry.state.RunRepository.RunRecord;

/**
 * Every sync this process runs or that has runs in the state database, with where it stands: what it is doing now
 * ({@link #state}), its last run, why that failed (the error's first line), its last success, its next run and its open
 * dead letters. Read from the state tables on each call, so it is right after a restart.
 */
public final class Fleet {

    /** What a sync's {@code state} can be: what it is doing now, else how its last run ended. */
    public static final List<String> STATES = List.of("running", "paused", "not-configured", "never-run", "succeeded", "failed",
            "partial", "abandoned");

    /**
     * One sync as the fleet view shows it; {@code lastRun} (with the counts so far while it runs here),
     * {@code lastSuccess}, {@code nextRun} and {@code leader} (the replica that recorded it leads, with since when) may
     * be null. {@code role} is what this replica is to the sync in the cluster; {@code notConfigured} the settings it
     * misses; {@code position} its saved offset or window position (null: from the start, or it scans).
     */
    public record SyncView(String sync, String state, boolean inThisProcess, RunRecord lastRun, String lastError,
            Instant lastSuccess, String nextRun, int openDeadLetters, Long runningRunId, String role,
            io.ferry.state.SyncLeaders.Leader leader, List<String> notConfigured, String position, RunRecord lastReplay) {
    }

    private final FerryState state;
    private final SyncRegistry syncs;
    private final SyncActions actions;
    private final Schedules schedules;
    private final Function<String, String> properties;
    private final io.ferry.cluster.SyncLeadership leadership;

    public Fleet(FerryState state, SyncRegistry syncs, SyncActions actions, Schedules schedules,
            Function<String, String> properties, io.ferry.cluster.SyncLeadership leadership) {
        this.leadership = leadership;
        this.state = state;
        this.syncs = syncs;
        this.actions = actions;
        this.schedules = schedules;
        this.properties = properties;
    }

    /** Every sync known here or in the state database, by name. */
    public List<String> names() {
        TreeSet<String> names = new TreeSet<>(syncs.names());
        names.addAll(state.runs().syncNames());
        return List.copyOf(names);
    }

    /** True when this process runs the sync or it has runs in the state database. */
    public boolean knows(String sync) {
        return syncs.syncs().containsKey(sync) || !state.runs().recent(sync, 1).isEmpty();
    }

    public List<SyncView> views(List<String> names) {
        Map<String, Integer> open = new OpenDeadLetters(state.dataSource()).refresh();
        List<SyncView> out = new ArrayList<>();
        for (String s : names) {
            out.add(view(s, open.getOrDefault(s, 0)));
        }
        return out;
    }

    public SyncView view(String sync) {
        return view(sync, state.deadLetters().countOpen(sync));
    }

    private SyncView view(String s, int openDeadLetters) {
        SyncStatus standing = SyncStatus.read(state.runs(), s);
        RunRecord last = standing.lastRun();
        boolean known = syncs.syncs().containsKey(s);
        List<String> missing = known ? actions.configuration().problems(s).stream().map(Object::toString).toList() : List.of();
        boolean configured = missing.isEmpty();
        SyncRun current = syncs.current(s);
        String now = syncs.isRunning(s) ? "running"
                : known && !configured ? "not-configured"
                : schedules.paused(s) ? "paused"
                : last == null ? "never-run" : last.status();
        // the row is written only now and then while the run goes on: its counts so far are in memory
        RunRecord shown = current != null && last != null && current.runId() == last.id() ? current.record() : last;
        return new SyncView(s, now, known, shown, firstLine(last == null ? null : last.error()),
                state.runs().lastEnded(s, "succeeded"), known && configured ? nextRun(s) : null, openDeadLetters,
                current == null ? null : current.runId(), known ? leadership.role(s).toString() : null, leader(s),
                missing,
                state.offsets().find(s), standing.lastReplay());
    }

    /** When the schedule fires next, or why it does not. */
    private String nextRun(String sync) {
        if (!"true".equalsIgnoreCase(properties.apply("ferry.schedules.enabled"))) {
            return "schedules off";
        }
        if (schedules.paused(sync)) {
            return "paused";
        }
        String cron = properties.apply("ferry.sync." + sync + ".cron");
        if (cron == null || cron.isBlank()) {
            return null;
        }
        try {
            Date next = new org.quartz.CronExpression(cron).getNextValidTimeAfter(new Date());
            return next == null ? null : next.toInstant().toString();
        } catch (java.text.ParseException e) {
            return "bad cron: " + cron;
        }
    }

    private io.ferry.state.SyncLeaders.Leader leader(String sync) {
        return leadership.isClustered() ? state.leaders().leader(sync) : null;
    }

    static String firstLine(String s) {
        if (s == null) {
            return null;
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
