package io.ferry.connector.jellyfish;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Category;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;

import io.ferry.kernel.Records;
import io.ferry.kernel.TransientException;
import io.ferry.kernel.source.PageFetcher;
import io.ferry.kernel.source.PagingStyle;
import io.ferry.kernel.source.SourceDefaults;
import io.ferry.kernel.source.SourceEndpoint;

/**
 * {@code jellyfish:pull}: system A's pull API as a source, paged after the last record (protocols.md §4): each request
 * carries the offset field's value of the last record read, A answers the records after it, an empty {@code data}
 * ends. The run's cursor is that offset; ferry:finish saves it, and each written batch saves its own last row's, so
 * the saved offset never passes a record that was not delivered or dead-lettered.
 */
@UriEndpoint(scheme = "jellyfish", title = "JellyFish pull", syntax = "jellyfish:operation", producerOnly = true,
        category = { Category.SAAS })
public class JellyFishPullEndpoint extends SourceEndpoint {

    static final String OPERATION = "pull";

    @UriPath(description = "pull: system A's records after the run's offset, a page per call")
    @Metadata(required = true)
    private final String operation = OPERATION;
    @UriParam(description = "System A's pull URL (http or https)")
    @Metadata(required = true)
    private String url;
    @UriParam(description = "The field of A's records whose last value is the next offset")
    @Metadata(required = true)
    private String offsetField;
    @UriParam(defaultValue = "offset", description = "The name of the offset in the pull request body")
    private String offsetKey = "offset";
    @UriParam(defaultValue = "0", description = "The offset of the very first pull, before any was saved")
    private String initialOffset = "0";
    @UriParam(description = "Sent as producerKey when set")
    private String producerKey;
    @UriParam(description = "Sent as uId when set")
    private String uId;
    @UriParam(description = "Sent as filter when set")
    private String filter;

    JellyFishPullEndpoint(String uri, JellyFishComponent component) {
        super(uri, component);
    }

    @Override
    public void validateSource() {
        JellyFishEndpoint.checkUrl(getEndpointUri(), url);
        if (offsetField == null || offsetField.isBlank()) {
            throw new IllegalArgumentException(getEndpointUri() + ": the parameter 'offsetField' is required"
                    + " (the field of A's records whose last value is the next offset)");
        }
        setCursorField(offsetField);
        if (getInitialCursor() == null) {
            setInitialCursor(initialOffset);
        }
        super.validateSource();
    }

    @Override
    protected SourceDefaults defaults() {
        Map<String, Object> request = new LinkedHashMap<>();
        putIfSet(request, "producerKey", producerKey);
        request.put(offsetKey, "${cursor}");
        putIfSet(request, "uId", uId);
        putIfSet(request, "filter", filter);
        return new SourceDefaults(Records.toJson(request), "data", "empty", PagingStyle.LAST_RECORD, 0, 100, Integer.MAX_VALUE);
    }

    @Override
    protected String what() {
        return "system A " + (url == null ? "" : URI.create(url.trim()).getPath());
    }

    @Override
    protected PageFetcher fetcher() {
        JellyFishComponent component = (JellyFishComponent) getComponent();
        return new JellyFishPullCall(this, component.http(), component.pacer(uri()));
    }

    /** The configured URL; missing, the call fails as transient (see {@link JellyFishEndpoint#uri()}). */
    URI uri() {
        if (url == null || url.isBlank()) {
            throw new TransientException("jellyfish:pull has no url: set it in application.properties or its environment variable");
        }
        return URI.create(url.trim());
    }

    private static void putIfSet(Map<String, Object> m, String key, String value) {
        if (value != null && !value.isEmpty()) {
            m.put(key, value);
        }
    }

    public String getOperation() {
        return operation;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getOffsetField() {
        return offsetField;
    }

    public void setOffsetField(String offsetField) {
        this.offsetField = offsetField;
    }

    public String getOffsetKey() {
        return offsetKey;
    }

    public void setOffsetKey(String offsetKey) {
        this.offsetKey = offsetKey;
    }

    public String getInitialOffset() {
        return initialOffset;
    }

    public void setInitialOffset(String initialOffset) {
        this.initialOffset = initialOffset;
    }

    public String getProducerKey() {
        return producerKey;
    }

    public void setProducerKey(String producerKey) {
        this.producerKey = producerKey;
    }

    public String getUId() {
        return uId;
    }

    public void setUId(String uId) {
        this.uId = uId;
    }

    public String getFilter() {
        return filter;
    }

    public void setFilter(String filter) {
        this.filter = filter;
    }
}
