package io.ferry.observe;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import io.ferry.config.SyncConfiguration;
import io.ferry.cluster.SyncLeadership;
import io.ferry.state.FerryState;
import io.ferry.state.RunRepository;
import io.ferry.state.RunRepository.RunRecord;

/**
 * {@code ferry:sync:<name>}: DOWN while the sync's last finished sync run failed (a replay after it changes nothing;
 * its outcome is a detail beside the run's). A readiness check only: restarting
 * Ferry does not mend a vendor that rejects it, so liveness must not depend on it.
 * <p>
 * A sync that is not configured is UNKNOWN, with every missing setting in its message, and is no readiness check
 * either: it has not failed and cannot run, and a sync that a deployment does not use must not keep the whole
 * process unready (DOWN would, and so would an UNKNOWN readiness check). It is listed in the full health answer;
 * the start-up log, {@code ferry status} and the console say the same (docs/observing.md).
 * <p>
 * On a replica that does not lead the sync (docs/scaling.md) the sync's failure is its leader's to report: the check
 * is UP with the run's details and {@code cluster.role}, so that one failing sync does not take every replica out.
 */
public class SyncHealthCheck extends AbstractHealthCheck {

    private final String sync;
    private final FerryState state;
    private final OpenDeadLetters deadLetters;
    private final SyncConfiguration configuration;
    private final SyncLeadership leadership;

    public SyncHealthCheck(String sync, FerryState state, OpenDeadLetters deadLetters, SyncConfiguration configuration,
            SyncLeadership leadership) {
        super("ferry", "sync:" + sync);
        this.sync = sync;
        this.state = state;
        this.deadLetters = deadLetters;
        this.configuration = configuration;
        this.leadership = leadership;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return configuration.isConfigured(sync);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (!configuration.isConfigured(sync)) {
            builder.detail("sync", sync).detail("configured", false);
            builder.unknown().message(configuration.message(sync) + " (its routes are not started)");
            return;
        }
        RunRecord last;
        RunRecord replay;
        try {
            // the run going on now says nothing yet: judge the last sync run that ended; a replay is shown beside it
            last = state.runs().lastEnded(sync, RunRepository.SYNC, 5);
            replay = state.runs().last(sync, RunRepository.REPLAY);
        } catch (RuntimeException e) {
            builder.unknown().message("run history cannot be read: " + e.getMessage());
            return;
        }
        builder.detail("sync", sync);
        SyncLeadership.Role role = leadership.role(sync);
        if (leadership.isClustered()) {
            builder.detail("cluster.role", role.toString());
        }
        if (replay != null) {
            builder.detail("last.replay.id", replay.id()).detail("last.replay.status", replay.status())
                    .detail("last.replay.written", replay.written());
        }
        if (last == null) {
            builder.up().message("no run yet");
            return;
        }
        builder.detail("last.run.id", last.id()).detail("last.run.status", last.status())
                .detail("last.run.ended", String.valueOf(last.endedAt())).detail("last.run.read", last.read())
                .detail("last.run.written", last.written()).detail("last.run.failed", last.failed());
        try {
            builder.detail("dead.letters.open", deadLetters.open(sync));
        } catch (RuntimeException e) {
            // the state-database check reports this
        }
        if ("failed".equals(last.status()) && (role == SyncLeadership.Role.FOLLOWS || role == SyncLeadership.Role.NOT_HERE)) {
            builder.up().message("last run " + last.id() + " failed: " + last.error() + " (this replica " + role
                    + "; the sync's leader reports it)");
        } else if ("failed".equals(last.status())) {
            builder.down().message("last run " + last.id() + " failed: " + last.error());
        } else {
            builder.up().message("last run " + last.id() + " " + last.status());
        }
    }
}
