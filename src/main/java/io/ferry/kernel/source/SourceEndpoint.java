package io.ferry.kernel.source;

import java.util.HashSet;
import java.util.Set;

import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/**
 * A paged source: each call of its producer reads the run's next page into the body as a list of records. The
 * paging protocol is the kernel's ({@link SourceProducer}); a connector's endpoint extends this class and gives
 * only its API's call ({@link #fetcher()}) and what it knows of the API ({@link #defaults()}). The options below are
 * every source's; a route sets only those where it differs from the connector's defaults.
 */
public abstract class SourceEndpoint extends DefaultEndpoint {

    /** Placeholders a run may fill beside the page position (a time window's bounds). */
    public static final Set<String> RUN_PLACEHOLDERS = Set.of("windowStart", "windowEnd");

    @UriParam(label = "source", description = "The request parameters as a JSON object, put over the connector's own"
            + " (which carry the page position); string values may use ${page}, ${pageSize}, ${offset}, ${cursor},"
            + " ${windowStart} and ${windowEnd}.")
    private String params;
    @UriParam(label = "source", description = "Where the records are in the answer: a JSON pointer (/data/orders) or a"
            + " dotted path (data.orders). Defaults to the connector's for a known API; required for any other.")
    private String records;
    @UriParam(label = "source", description = "How the source says it has no more pages: clauses tried in order, e.g."
            + " hasNext:data.has_next,total:data.total,pages:data.page_count,cursor:next,link,short,empty.")
    private String endSignal;
    @UriParam(label = "source", description = "How the source is paged: page, offset, cursor or lastRecord. Defaults to the connector's.")
    private String paging;
    @UriParam(label = "source", description = "Records per page. Defaults to the connector's; at most the API's maximum.")
    private Integer pageSize;
    @UriParam(label = "source", description = "The first page number (0 or 1) of a source paged by number. Defaults to the API's.")
    private Integer firstPage;
    @UriParam(label = "source", description = "For paging=lastRecord: the record field whose last value is the next cursor.")
    private String cursorField;
    @UriParam(label = "source", description = "The cursor (or offset) of the first page when nothing is saved.")
    private String initialCursor;
    @UriParam(label = "source", defaultValue = "true", description = "Ask for the next page while the route works on this one"
            + " (sources paged by number or offset; the page is used only by the same run for the position it was asked for).")
    private boolean pageAhead = true;

    private SourceSpec spec;

    protected SourceEndpoint(String uri, Component component) {
        super(uri, component);
    }

    /** The connector's call of its API; made on first use, when the route warms up no settings are checked. */
    protected abstract PageFetcher fetcher();

    /** What the connector knows of this endpoint's API. */
    protected abstract SourceDefaults defaults();

    /** The API, for messages: "jushuitan /open/orders/single/query". */
    protected abstract String what();

    /**
     * The longest time window one call of this API may ask for (Jushuitan's orders: 7 days); null when the API sets
     * none. A route whose windowSize is larger is refused when Camel starts.
     */
    public java.time.Duration maxWindow() {
        return null;
    }

    /** How the bounds of a time window (${windowStart}, ${windowEnd}) are written in a request; ISO-8601 (UTC) by default. */
    public java.time.format.DateTimeFormatter windowFormat() {
        return java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(java.time.ZoneOffset.UTC);
    }

    /**
     * How far each window's asked begin reaches before the previous window's end, so that a record modified exactly at
     * a bound is read whatever the API's inclusiveness: one second (the vendors' bounds are in seconds) unless the API
     * is documented as [begin, end), where zero would do. Never a gap: an overlap only reads a record twice, and the
     * second time it is skipped as unchanged.
     */
    public java.time.Duration windowOverlap() {
        return java.time.Duration.ofSeconds(1);
    }

    /** Placeholders beyond the kernel's that this connector fills itself; none by default. */
    protected Set<String> connectorPlaceholders() {
        return Set.of();
    }

    /** Checks the options and fixes the source's spec; called by the component when the endpoint is made. */
    public void validateSource() {
        try {
            SourceDefaults d = defaults();
            PagingStyle style = paging == null || paging.isBlank() ? d.paging() : PagingStyle.parse(paging);
            int size = pageSize == null ? d.pageSize() : pageSize;
            if (size < 1 || size > d.maxPageSize()) {
                throw new IllegalArgumentException("pageSize must be between 1 and " + d.maxPageSize() + " (the API's maximum)");
            }
            String recordsPath = records != null && !records.isBlank() ? records : d.records();
            if (recordsPath == null) {
                throw new IllegalArgumentException("the parameter 'records' is required for this API: say where the records are"
                        + " in its answer, e.g. records=data.items");
            }
            EndSignal end = EndSignal.parse(endSignal != null && !endSignal.isBlank() ? endSignal : d.endSignal());
            if (style == PagingStyle.CURSOR && !end.givesCursor()) {
                throw new IllegalArgumentException("paging=cursor needs an endSignal that gives the next cursor (cursor:<path> or link)");
            }
            if (style == PagingStyle.LAST_RECORD && (cursorField == null || cursorField.isBlank())) {
                throw new IllegalArgumentException("paging=lastRecord needs cursorField, the record field the next page starts after");
            }
            RequestTemplate template = RequestTemplate.parse(d.params()).with(RequestTemplate.parse(params));
            Set<String> known = new HashSet<>(RequestTemplate.POSITION);
            known.addAll(RUN_PLACEHOLDERS);
            known.addAll(connectorPlaceholders());
            template.check(known);
            spec = new SourceSpec(what(), template, new RecordsPath(recordsPath), end, style,
                    firstPage == null ? d.firstPage() : firstPage, size, cursorField, initialCursor, pageAhead);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(getEndpointUri() + ": " + e.getMessage(), e);
        }
    }

    public SourceSpec spec() {
        if (spec == null) {
            validateSource();
        }
        return spec;
    }

    @Override
    public Producer createProducer() {
        return new SourceProducer(this, spec());
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " is a source step: call it from a sync's paging loop");
    }

    public String getParams() {
        return params;
    }

    public void setParams(String params) {
        this.params = params;
    }

    public String getRecords() {
        return records;
    }

    public void setRecords(String records) {
        this.records = records;
    }

    public String getEndSignal() {
        return endSignal;
    }

    public void setEndSignal(String endSignal) {
        this.endSignal = endSignal;
    }

    public String getPaging() {
        return paging;
    }

    public void setPaging(String paging) {
        this.paging = paging;
    }

    public Integer getPageSize() {
        return pageSize;
    }

    public void setPageSize(Integer pageSize) {
        this.pageSize = pageSize;
    }

    public Integer getFirstPage() {
        return firstPage;
    }

    public void setFirstPage(Integer firstPage) {
        this.firstPage = firstPage;
    }

    public String getCursorField() {
        return cursorField;
    }

    public void setCursorField(String cursorField) {
        this.cursorField = cursorField;
    }

    public String getInitialCursor() {
        return initialCursor;
    }

    public void setInitialCursor(String initialCursor) {
        this.initialCursor = initialCursor;
    }

    public boolean isPageAhead() {
        return pageAhead;
    }

    public void setPageAhead(boolean pageAhead) {
        this.pageAhead = pageAhead;
    }
}
