package io.ferry.connector;

import org.apache.camel.spi.Metadata;

import io.ferry.http.CallBudget;
import io.ferry.http.Pacer;

/**
 * A vendor component whose calls are paced per app key ({@link CallBudget}, shared by every sync that uses the key)
 * and whose rate-limit answers are waited out ({@link Pacer}). The limits' declared defaults are "none"; a component
 * whose vendor publishes limits redeclares the option on its overriding setter with the vendor's value.
 */
public abstract class PacedConnectorComponent extends ConnectorComponent {

    @Metadata(label = "rate limit", defaultValue = "0", description = "At most this many calls in any one second, per app"
            + " key, shared by every sync that uses the key (0: no limit).")
    private int requestsPerSecond;
    @Metadata(label = "rate limit", defaultValue = "0", description = "At most this many calls in any one minute, per app"
            + " key, shared by every sync that uses the key (0: no limit).")
    private int requestsPerMinute;
    @Metadata(label = "rate limit", defaultValue = "0", description = "At most this many calls at once, per app key, shared"
            + " by every sync that uses the key (0: no limit).")
    private int concurrentRequests;
    @Metadata(label = "rate limit", defaultValue = "500", description = "The first wait (ms) after a rate-limit answer before"
            + " the call is made again; each further refusal of the same call doubles it, with jitter.")
    private long rateLimitPause;
    @Metadata(label = "rate limit", defaultValue = "30000", description = "The longest wait (ms) after one rate-limit answer.")
    private long rateLimitMaxPause;
    @Metadata(label = "rate limit", defaultValue = "300000", description = "The longest time (ms) one call waits out"
            + " rate-limit answers before the run stops early (partial).")
    private long rateLimitMaxWait;

    protected PacedConnectorComponent(String system, int connectTimeout, int readTimeout, CallBudget.Limits limits,
            long rateLimitPause, long rateLimitMaxPause, long rateLimitMaxWait) {
        super(system, connectTimeout, readTimeout);
        this.requestsPerSecond = limits.perSecond();
        this.requestsPerMinute = limits.perMinute();
        this.concurrentRequests = limits.concurrent();
        this.rateLimitPause = rateLimitPause;
        this.rateLimitMaxPause = rateLimitMaxPause;
        this.rateLimitMaxWait = rateLimitMaxWait;
    }

    protected PacedConnectorComponent(String system, int connectTimeout, int readTimeout) {
        this(system, connectTimeout, readTimeout, CallBudget.Limits.NONE, 500, 30_000, 300_000);
    }

    /** Calls made with {@code key} (e.g. {@code jushuitan app 1234}), paced under its budget. */
    protected Pacer pacer(String key) {
        CallBudget budget = callBudgets().budget(key, new CallBudget.Limits(requestsPerSecond, requestsPerMinute, concurrentRequests));
        return new Pacer(budget, Pacer.Policy.of(rateLimitPause, rateLimitMaxPause, rateLimitMaxWait));
    }

    public int getRequestsPerSecond() {
        return requestsPerSecond;
    }

    public void setRequestsPerSecond(int requestsPerSecond) {
        this.requestsPerSecond = requestsPerSecond;
    }

    public int getRequestsPerMinute() {
        return requestsPerMinute;
    }

    public void setRequestsPerMinute(int requestsPerMinute) {
        this.requestsPerMinute = requestsPerMinute;
    }

    public int getConcurrentRequests() {
        return concurrentRequests;
    }

    public void setConcurrentRequests(int concurrentRequests) {
        this.concurrentRequests = concurrentRequests;
    }

    public long getRateLimitPause() {
        return rateLimitPause;
    }

    public void setRateLimitPause(long rateLimitPause) {
        this.rateLimitPause = rateLimitPause;
    }

    public long getRateLimitMaxPause() {
        return rateLimitMaxPause;
    }

    public void setRateLimitMaxPause(long rateLimitMaxPause) {
        this.rateLimitMaxPause = rateLimitMaxPause;
    }

    public long getRateLimitMaxWait() {
        return rateLimitMaxWait;
    }

    public void setRateLimitMaxWait(long rateLimitMaxWait) {
        this.rateLimitMaxWait = rateLimitMaxWait;
    }
}
