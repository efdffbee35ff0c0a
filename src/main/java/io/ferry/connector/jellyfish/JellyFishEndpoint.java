package io.ferry.connector.jellyfish;

import java.net.URI;
import java.util.Locale;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import io.ferry.kernel.TransientException;

/** {@code jellyfish:push}: system B's receive API, one record per call (pull is {@link JellyFishPullEndpoint}). */
@UriEndpoint(scheme = "jellyfish", title = "JellyFish push", syntax = "jellyfish:operation", producerOnly = true,
        category = { Category.SAAS })
public class JellyFishEndpoint extends DefaultEndpoint implements io.ferry.kernel.RendersRequest {

    enum Operation {
        PULL, PUSH;

        static Operation parse(String remaining, String uri) {
            try {
                return valueOf(remaining.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown JellyFish operation '" + remaining + "' in " + uri + " (expected pull or push)");
            }
        }
    }

    @UriPath(description = "push: each record of the batch is sent to system B in a call of its own")
    @Metadata(required = true)
    private final Operation operation;
    @UriParam(description = "System B's receive URL (http or https)")
    @Metadata(required = true)
    private String url;
    @UriParam(defaultValue = "5", description = "How many times a record is pushed while B refuses it (a code other"
            + " than \"0\"); then it is reported rejected and dead-lettered")
    private int maxAttempts = 5;
    @UriParam(defaultValue = "1000", description = "The wait (ms) before a refused record is pushed again (the first"
            + " wait when exponential)")
    private long delay = 1000;
    @UriParam(defaultValue = "true", description = "Doubles the wait after each refused attempt, at most maxDelay")
    private boolean exponential = true;
    @UriParam(defaultValue = "300000", description = "The longest wait (ms) between two pushes of a record when exponential")
    private long maxDelay = 300_000;
    @UriParam(defaultValue = "Idempotency-Key", description = "The header that carries each record's business key (the"
            + " same in every attempt and run); empty sends none")
    private String idempotencyHeader = "Idempotency-Key";

    JellyFishEndpoint(String uri, JellyFishComponent component, Operation operation) {
        super(uri, component);
        this.operation = operation;
    }

    void validate() {
        checkUrl(getEndpointUri(), url);
        if (operation == Operation.PUSH && (maxAttempts < 1 || delay < 0 || maxDelay < 0)) {
            throw new IllegalArgumentException(getEndpointUri() + ": maxAttempts must be at least 1, delay and maxDelay not negative");
        }
    }

    /** A blank url is reported when the sync runs, so that an unconfigured sync does not stop the others. */
    static void checkUrl(String endpointUri, String url) {
        if (url != null && !url.isBlank()) {
            try {
                URI u = URI.create(url.trim());
                if (u.getScheme() == null || !u.getScheme().startsWith("http")) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(endpointUri + ": url '" + url + "' is not an http(s) URL: " + e.getMessage(), e);
            }
        }
    }

    /**
     * The pushes a batch would be sent as, without sending: one POST of each row as it is to system B, with the row's
     * business key in the idempotency header when one is named.
     */
    @Override
    public java.util.List<Object> render(java.util.List<?> rows) {
        java.util.List<Object> pushes = new java.util.ArrayList<>(rows.size());
        for (Object row : rows) {
            java.util.Map<String, Object> push = new java.util.LinkedHashMap<>();
            push.put("method", "POST");
            push.put("url", uri().toString());
            if (!getIdempotencyHeader().isEmpty()) {
                push.put("idempotencyHeader", getIdempotencyHeader() + ": the row's business key");
            }
            push.put("body", row);
            pushes.add(push);
        }
        return pushes;
    }

    /**
     * The configured URL. Missing, it fails the call as a {@link TransientException}: for a push that keeps the
     * record undelivered and unmarked (the run fails), where any other error would dead-letter it.
     */
    URI uri() {
        if (url == null || url.isBlank()) {
            throw new TransientException("jellyfish:" + operation.name().toLowerCase(Locale.ROOT)
                    + " has no url: set it in application.properties or its environment variable");
        }
        return URI.create(url.trim());
    }

    @Override
    public Producer createProducer() {
        JellyFishComponent c = (JellyFishComponent) getComponent();
        return new JellyFishPushProducer(this, c.http(), org.apache.camel.util.function.Suppliers.memorize(() -> c.pacer(uri())));
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("jellyfish: is a producer: call it from a sync route");
    }

    /** Delay before attempt {@code attempt + 1}: fixed, or doubled after each attempt, at most maxDelay. */
    long delayAfter(int attempt) {
        if (!exponential) {
            return delay;
        }
        double d = delay * Math.pow(2, attempt - 1);
        return (long) Math.min(d, maxDelay);
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public long getDelay() {
        return delay;
    }

    public void setDelay(long delay) {
        this.delay = delay;
    }

    public boolean isExponential() {
        return exponential;
    }

    public void setExponential(boolean exponential) {
        this.exponential = exponential;
    }

    public String getIdempotencyHeader() {
        return idempotencyHeader;
    }

    /**
     * The header that carries each push's idempotency key (the record's business key), {@code Idempotency-Key} by
     * default; empty sends none.
     */
    public void setIdempotencyHeader(String idempotencyHeader) {
        this.idempotencyHeader = idempotencyHeader == null ? "" : idempotencyHeader.trim();
    }

    public long getMaxDelay() {
        return maxDelay;
    }

    public void setMaxDelay(long maxDelay) {
        this.maxDelay = maxDelay;
    }
}
