package io.ferry.observe;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRepository;

import io.ferry.config.SyncConfiguration;
import io.ferry.cluster.SyncLeadership;
import io.ferry.pipeline.SyncRegistry;
import io.ferry.state.FerryState;

/** One {@link SyncHealthCheck} per sync this process runs, including syncs declared after start. */
public class SyncHealthChecks implements HealthCheckRepository {

    private final SyncRegistry syncs;
    private final FerryState state;
    private final OpenDeadLetters deadLetters;
    private final SyncConfiguration configuration;
    private final SyncLeadership leadership;
    private final Map<String, SyncHealthCheck> checks = new ConcurrentHashMap<>();
    private boolean enabled = true;

    public SyncHealthChecks(SyncRegistry syncs, FerryState state, OpenDeadLetters deadLetters, SyncConfiguration configuration,
            SyncLeadership leadership) {
        this.syncs = syncs;
        this.state = state;
        this.deadLetters = deadLetters;
        this.configuration = configuration;
        this.leadership = leadership;
    }

    @Override
    public String getId() {
        return "ferry-syncs";
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public Stream<HealthCheck> stream() {
        if (!enabled) {
            return Stream.empty();
        }
        return syncs.names().stream().map(s -> checks.computeIfAbsent(s, n -> new SyncHealthCheck(n, state, deadLetters, configuration, leadership)));
    }
}
