package io.ferry.pipeline;

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

import io.ferry.kernel.Records;
import io.ferry.mapping.JsonataMapping;

/** One {@code ferry:} step; which parameters it takes depends on its operation. */
@UriEndpoint(scheme = "ferry", title = "Ferry", syntax = "ferry:operation", producerOnly = true, category = { Category.CORE })
public class FerryEndpoint extends DefaultEndpoint {

    enum Operation {
        START, DEDUP, MAP, AGGREGATE, FINISH;

        static Operation parse(String remaining, String uri) {
            try {
                return valueOf(remaining.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown Ferry step '" + remaining + "' in " + uri
                        + " (expected start, dedup, map, aggregate or finish)");
            }
        }
    }

    @UriPath(description = "The step: start, dedup, map, aggregate or finish")
    @Metadata(required = true)
    private final Operation operation;
    @UriParam(label = "start", description = "start: the sync's name (its run history, state and settings ferry.sync.<sync>.*)")
    private String sync;
    @UriParam(label = "start", description = "start: the field of a source record that is its business key; dots reach into objects")
    private String key;
    @UriParam(label = "start", defaultValue = "10000", description = "start: pages read at most per run")
    private int maxPages = 10_000;
    @UriParam(label = "start", defaultValue = "false", description = "start: write a record again when its content changed since it was delivered")
    private boolean updateChanged;
    @UriParam(label = "start", description = "start: for a source paged after its last record, the field saved as the sync's offset")
    private String offsetField;
    @UriParam(label = "start", description = "start: fail the run after more rejected records than this (default ferry.error-limit.records: none)")
    private Integer errorLimit;
    @UriParam(label = "start", description = "start: fail the run when more than this share of its records were rejected (default ferry.error-limit.percent: 50)")
    private Integer errorLimitPercent;
    @UriParam(label = "start", description = "start: the share counts from this many records on (default ferry.error-limit.min-records: 20)")
    private Integer errorLimitMinRecords;
    @UriParam(label = "start", description = "start: the record field time windows are on (docs/time-windows.md); naming it turns windows on")
    private String window;
    @UriParam(label = "start", description = "start: the first window's start, ISO-8601 with its offset, used until a position is saved")
    private String windowStart;
    @UriParam(label = "start", description = "start: each window's span, an ISO-8601 duration; at most what the source's API allows")
    private String windowSize;
    @UriParam(label = "start", defaultValue = "PT0S", description = "start: how far each run's first window reaches back before the saved position")
    private String lookback = "PT0S";
    @UriParam(label = "start", defaultValue = "PT0S", description = "start: windows never reach nearer to now than this")
    private String lag = "PT0S";
    private SyncSettings settings;
    @UriParam(label = "map", description = "map: the JSONata file that maps one source record to the target's row")
    private String mapping;
    @UriParam(label = "aggregate", defaultValue = "20", description = "aggregate: rows per batch")
    private int size = 20;
    @UriParam(label = "aggregate", defaultValue = "1", description = "aggregate: batches written at once")
    private int concurrency = 1;
    @UriParam(label = "aggregate", defaultValue = "100", description = "aggregate: confirmed keys marked per state statement")
    private int markEvery = 100;
    @UriParam(label = "aggregate", description = "aggregate: the endpoint a batch of rows is written to")
    private String sink;
    private JsonataMapping loadedMapping;

    FerryEndpoint(String uri, FerryComponent component, Operation operation) {
        super(uri, component);
        this.operation = operation;
    }

    void validate() {
        switch (operation) {
        case START -> {
            require(sync, "sync");
            require(key, "key");
            if (maxPages < 1) {
                throw new IllegalArgumentException(getEndpointUri() + ": maxPages must be at least 1");
            }
            ErrorLimit limit;
            try {
                limit = new ErrorLimit(
                        orDefault(errorLimit, "ferry.error-limit.records", ErrorLimit.DEFAULT.records()),
                        orDefault(errorLimitPercent, "ferry.error-limit.percent", ErrorLimit.DEFAULT.percent()),
                        orDefault(errorLimitMinRecords, "ferry.error-limit.min-records", ErrorLimit.DEFAULT.minRecords()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(getEndpointUri() + ": " + e.getMessage(), e);
            }
            io.ferry.kernel.Windows.Spec windows = windowSpec();
            // a template's optional parameter left empty arrives as ""
            String offset = offsetField == null || offsetField.isBlank() ? null : offsetField;
            // a record read again in a window is skipped when unchanged and written again when changed
            settings = new SyncSettings(sync, key, maxPages, updateChanged || windows != null, offset, limit, windows);
            ((FerryComponent) getComponent()).syncs().declare(settings);
            if (windows != null) {
                // a window larger than the route's source accepts is refused when Camel starts, not at the first call
                SourceWindows.checkOnStart(this);
            }
        }
        case MAP -> {
            require(mapping, "mapping");
            loadedMapping = JsonataMapping.load(mapping);
        }
        case AGGREGATE -> {
            require(sink, "sink");
            if (size < 1) {
                throw new IllegalArgumentException(getEndpointUri() + ": size must be at least 1");
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException(getEndpointUri() + ": concurrency must be at least 1");
            }
            if (markEvery < 1) {
                throw new IllegalArgumentException(getEndpointUri() + ": markEvery must be at least 1");
            }
        }
        default -> {
        }
        }
    }

    private volatile java.time.Duration windowOverlap = java.time.Duration.ofSeconds(1);

    SyncSettings settings() {
        return settings;
    }

    Operation operation() {
        return operation;
    }

    /** The mapping of a ferry:map step, parsed when the endpoint was made. */
    JsonataMapping loadedMapping() {
        return loadedMapping;
    }

    /** The bound overlap the route's source needs (its API's inclusiveness), known once Camel started. */
    java.time.Duration windowOverlap() {
        return windowOverlap;
    }

    void setWindowOverlap(java.time.Duration overlap) {
        this.windowOverlap = overlap;
    }

    /** The time windows declared by window, windowStart, windowSize, lookback and lag; null without window. */
    private io.ferry.kernel.Windows.Spec windowSpec() {
        // a template's window parameters left empty arrive as ""
        String windowStart = blankAsNull(this.windowStart);
        String windowSize = blankAsNull(this.windowSize);
        String lookback = blankAsNull(this.lookback) == null ? "PT0S" : this.lookback;
        String lag = blankAsNull(this.lag) == null ? "PT0S" : this.lag;
        if (window == null || window.isBlank()) {
            if (windowStart != null || windowSize != null) {
                throw new IllegalArgumentException(getEndpointUri() + ": windowStart and windowSize need window (the field the"
                        + " windows are on, e.g. window=modified)");
            }
            return null;
        }
        require(windowStart, "windowStart");
        require(windowSize, "windowSize");
        if (blankAsNull(offsetField) != null) {
            throw new IllegalArgumentException(getEndpointUri() + ": a sync reads by window or by offsetField, not both");
        }
        try {
            return new io.ferry.kernel.Windows.Spec(window.strip(),
                    io.ferry.kernel.Windows.Spec.parseTime("windowStart", windowStart),
                    io.ferry.kernel.Windows.Spec.parseDuration("windowSize", windowSize),
                    io.ferry.kernel.Windows.Spec.parseDuration("lookback", lookback),
                    io.ferry.kernel.Windows.Spec.parseDuration("lag", lag));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(getEndpointUri() + ": " + e.getMessage(), e);
        }
    }

    private static String blankAsNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * A parameter given on the URI, else the property every sync shares ({@code ferry.error-limit.*} in
     * application.properties; empty means the built-in default), else that default. A negative count is no limit.
     */
    private int orDefault(Integer given, String property, int builtIn) {
        if (given != null) {
            return Math.max(given, ErrorLimit.NONE);
        }
        String value = getCamelContext().getPropertiesComponent().resolveProperty(property).map(String::strip).orElse("");
        if (value.isEmpty()) {
            return builtIn;
        }
        try {
            return Math.max(Integer.parseInt(value), ErrorLimit.NONE);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the property " + property + " must be a whole number, got '" + value + "'");
        }
    }

    private void require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(getEndpointUri() + ": the parameter '" + name + "' is required");
        }
    }

    @Override
    public Producer createProducer() {
        FerryComponent c = (FerryComponent) getComponent();
        return switch (operation) {
        case START -> new StartProducer(this, c.state(), c.syncs(), settings);
        case DEDUP -> new DedupProducer(this, c.state(), new DeadLetters(c.state()), new BatchWriter(getCamelContext(), c.state()));
        case MAP -> new MapProducer(this, loadedMapping, new DeadLetters(c.state()));
        case AGGREGATE -> new AggregateProducer(this, new BatchWriter(getCamelContext(), c.state()), sink, size, concurrency, markEvery);
        case FINISH -> new FinishProducer(this, new BatchWriter(getCamelContext(), c.state()), c.state());
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("ferry: steps are producers only; start a sync route from a schedule or direct:");
    }

    @Override
    public boolean isSingleton() {
        return true;
    }

    public void setSync(String sync) {
        this.sync = sync;
    }

    public String getSync() {
        return sync;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public String getKey() {
        return key;
    }

    public void setMaxPages(int maxPages) {
        this.maxPages = maxPages;
    }

    public int getMaxPages() {
        return maxPages;
    }

    public void setUpdateChanged(boolean updateChanged) {
        this.updateChanged = updateChanged;
    }

    public boolean isUpdateChanged() {
        return updateChanged;
    }

    public void setOffsetField(String offsetField) {
        this.offsetField = offsetField;
    }

    public String getOffsetField() {
        return offsetField;
    }

    /** The most records a run may reject (a negative value: no count limit). */
    public void setErrorLimit(Integer errorLimit) {
        this.errorLimit = errorLimit;
    }

    public Integer getErrorLimit() {
        return errorLimit;
    }

    /** The largest share (0–100) of the records a run tried that it may reject. */
    public void setErrorLimitPercent(Integer errorLimitPercent) {
        this.errorLimitPercent = errorLimitPercent;
    }

    public Integer getErrorLimitPercent() {
        return errorLimitPercent;
    }

    /** Records a run tries before the share is looked at. */
    public void setErrorLimitMinRecords(Integer errorLimitMinRecords) {
        this.errorLimitMinRecords = errorLimitMinRecords;
    }

    public Integer getErrorLimitMinRecords() {
        return errorLimitMinRecords;
    }

    /** The record field the time windows are on (the API's modified time), e.g. modified. */
    public void setWindow(String window) {
        this.window = window;
    }

    public String getWindow() {
        return window;
    }

    /** Where the first window begins when nothing is saved: ISO-8601 with an offset, 2026-11-01T00:00:00+08:00. */
    public void setWindowStart(String windowStart) {
        this.windowStart = windowStart;
    }

    public String getWindowStart() {
        return windowStart;
    }

    /** The span each call asks for (ISO-8601 duration, P7D); at most the API's maximum. */
    public void setWindowSize(String windowSize) {
        this.windowSize = windowSize;
    }

    public String getWindowSize() {
        return windowSize;
    }

    /** How far a run's first window reaches back before the saved position (PT10M). */
    public void setLookback(String lookback) {
        this.lookback = lookback;
    }

    public String getLookback() {
        return lookback;
    }

    /** How far behind now the windows stop (PT30S): never ask past now − lag. */
    public void setLag(String lag) {
        this.lag = lag;
    }

    public String getLag() {
        return lag;
    }

    public void setMapping(String mapping) {
        this.mapping = mapping;
    }

    public String getMapping() {
        return mapping;
    }

    public void setSize(int size) {
        this.size = size;
    }

    public int getSize() {
        return size;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public int getConcurrency() {
        return concurrency;
    }

    public void setMarkEvery(int markEvery) {
        this.markEvery = markEvery;
    }

    public int getMarkEvery() {
        return markEvery;
    }

    public void setSink(String sink) {
        this.sink = sink;
    }

    public String getSink() {
        return sink;
    }
}
