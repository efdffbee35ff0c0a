package io.ferry.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.state.ApiCallRepository;

/** Deletes API calls older than {@code ferry.api-log.retention-days}: once at start, then daily. 0 keeps them all. */
public class ApiCallRetention extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ApiCallRetention.class);

    private final ApiCallRepository repository;
    private final int retentionDays;
    private ScheduledExecutorService timer;

    public ApiCallRetention(ApiCallRepository repository, int retentionDays) {
        this.repository = repository;
        this.retentionDays = retentionDays;
    }

    @Override
    protected void doStart() {
        if (retentionDays <= 0) {
            LOG.info("API-call log kept without limit (ferry.api-log.retention-days = {})", retentionDays);
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ferry-api-call-retention");
            t.setDaemon(true);
            return t;
        });
        // pruning at start runs off the start-up path: a large backlog must not delay the syncs
        timer.scheduleWithFixedDelay(this::pruneNow, 0, 1, TimeUnit.DAYS);
    }

    @Override
    protected void doStop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    /** @return how many calls were deleted */
    public int pruneNow() {
        try {
            int n = repository.prune(Instant.now().minus(Duration.ofDays(retentionDays)));
            if (n > 0) {
                LOG.info("API-call log: {} call(s) older than {} days deleted", n, retentionDays);
            }
            return n;
        } catch (RuntimeException e) {
            LOG.warn("API-call log retention failed: {}", e.getMessage());
            return 0;
        }
    }
}
