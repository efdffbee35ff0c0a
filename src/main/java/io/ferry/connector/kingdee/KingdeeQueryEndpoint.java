package io.ferry.connector.kingdee;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Category;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;

import io.ferry.http.ApiHttp.Caller;
import io.ferry.kernel.ConfigurationException;
import io.ferry.kernel.Records;
import io.ferry.kernel.SourceException;
import io.ferry.kernel.source.PageAnswer;
import io.ferry.kernel.source.PageFetcher;
import io.ferry.kernel.source.PagingStyle;
import io.ferry.kernel.source.SourceDefaults;
import io.ferry.kernel.source.SourceEndpoint;

/**
 * Any form as a paged source: {@code kingdee:query?formId=BD_Customer&fieldKeys=FCUSTID,FNumber,FName,FModifyDate&filter=…}
 * reads it with ExecuteBillQuery (protocols.md §1.7), StartRow/Limit paging from the kernel's offset, ordered by
 * {@code orderBy} (by default the first field key, so that pages do not overlap), until a short page (the API gives no
 * total). Each answer row, a list of values in FieldKeys order, becomes an object keyed by the field keys, under
 * {@code rows}. The filter may use ${windowStart} and ${windowEnd}: the kernel writes the run's window bounds in
 * {@link #windowFormat()} (the server's local time, {@code yyyy-MM-dd HH:mm:ss} in {@code timeZone}) into the
 * request parameters, and they are put into FilterString as they are. Kingdee documents no longest window.
 */
@UriEndpoint(scheme = "kingdee", title = "Kingdee query", syntax = "kingdee:operation", producerOnly = true, category = { Category.SAAS })
public class KingdeeQueryEndpoint extends SourceEndpoint {

    static final String OPERATION = "query";
    /** ExecuteBillQuery's Limit is at most 10000 (protocols.md §1.7). */
    static final int MAX_LIMIT = 10_000;
    static final int DEFAULT_LIMIT = 500;
    private static final Set<String> FILTER_PLACEHOLDERS = Set.of("windowStart", "windowEnd");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9_]*)}");
    private static final DateTimeFormatter KINGDEE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @UriPath(description = "query")
    @Metadata(required = true)
    private final String operation = OPERATION;
    @UriParam(description = "The form (FormId) to read, e.g. BD_Customer")
    @Metadata(required = true)
    private String formId;
    @UriParam(description = "The field keys to read, comma-separated (FieldKeys), e.g. FCUSTID,FNumber,FName,FModifyDate; they name the record's fields")
    @Metadata(required = true)
    private String fieldKeys;
    @UriParam(description = "FilterString, e.g. FModifyDate >= '${windowStart}' and FModifyDate < '${windowEnd}'; may use ${windowStart} and ${windowEnd}")
    private String filter;
    @UriParam(description = "OrderString, e.g. FModifyDate,FCUSTID. Defaults to the first field key, ascending, for stable paging")
    private String orderBy;
    @UriParam(defaultValue = "Asia/Shanghai", description = "The server's time zone, in which ${windowStart} and ${windowEnd} are written")
    private String timeZone = "Asia/Shanghai";

    KingdeeQueryEndpoint(String uri, KingdeeComponent component) {
        super(uri, component);
    }

    @Override
    public void validateSource() {
        if (formId == null || formId.isBlank()) {
            throw new IllegalArgumentException(getEndpointUri() + ": the parameter 'formId' is required (e.g. BD_Customer)");
        }
        if (keys().isEmpty()) {
            throw new IllegalArgumentException(getEndpointUri() + ": the parameter 'fieldKeys' is required (e.g. FCUSTID,FNumber,FName)");
        }
        if (filter != null) {
            Matcher m = PLACEHOLDER.matcher(filter);
            while (m.find()) {
                if (!FILTER_PLACEHOLDERS.contains(m.group(1))) {
                    throw new IllegalArgumentException(getEndpointUri() + ": the filter uses ${" + m.group(1)
                            + "}, which it does not know (known: ${windowStart}, ${windowEnd})");
                }
            }
        }
        try {
            ZoneId.of(timeZone);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(getEndpointUri() + ": timeZone '" + timeZone + "' is not a time zone (e.g. Asia/Shanghai)");
        }
        super.validateSource();
    }

    @Override
    protected SourceDefaults defaults() {
        // the window's bounds ride in the parameters (left out when the run has none) and are written into FilterString
        return new SourceDefaults("{\"StartRow\":\"${offset}\",\"Limit\":\"${pageSize}\",\"windowStart\":\"${windowStart}\","
                + "\"windowEnd\":\"${windowEnd}\"}", "rows", "short", PagingStyle.OFFSET, 0, DEFAULT_LIMIT, MAX_LIMIT);
    }

    /** FilterString compares times as the server's local time, to the second: {@code 2024-05-01 08:00:00}. */
    @Override
    public DateTimeFormatter windowFormat() {
        return KINGDEE_TIME.withZone(ZoneId.of(timeZone));
    }

    @Override
    protected String what() {
        return "kingdee ExecuteBillQuery of " + formId;
    }

    @Override
    protected PageFetcher fetcher() {
        KingdeeClient client = ((KingdeeComponent) getComponent()).client();
        List<String> keys = keys();
        return request -> {
            Map<String, Object> params = request.params();
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("FormId", formId);
            query.put("FieldKeys", String.join(",", keys));
            query.put("FilterString", filterFor(params));
            query.put("OrderString", orderBy != null && !orderBy.isBlank() ? orderBy : keys.get(0));
            params.forEach((k, v) -> {
                if (!FILTER_PLACEHOLDERS.contains(k)) {
                    query.put(k, v);
                }
            });
            List<List<Object>> rows = client.queryPage(new Caller(request.run().syncName(), request.run().runId()), query);
            List<Map<String, Object>> records = new ArrayList<>(rows.size());
            for (List<Object> row : rows) {
                if (row.size() != keys.size()) {
                    throw new SourceException(what() + " " + request.position() + ": a row has " + row.size() + " values for "
                            + keys.size() + " field keys", Records.toJson(rows));
                }
                Map<String, Object> record = new LinkedHashMap<>();
                for (int i = 0; i < keys.size(); i++) {
                    record.put(keys.get(i), row.get(i));
                }
                records.add(record);
            }
            Map<String, Object> body = Map.of("rows", records);
            return PageAnswer.writtenOnDemand(body, rows);
        };
    }

    /**
     * The filter with the window's bounds put in: they come already written in {@link #windowFormat()} (the kernel
     * formats them), so they are only quoted here; a bound the run does not have is the route's mistake.
     */
    String filterFor(Map<String, Object> params) {
        if (filter == null || filter.isBlank()) {
            return "";
        }
        Matcher m = PLACEHOLDER.matcher(filter);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Object value = params.get(m.group(1));
            if (value == null) {
                throw new ConfigurationException(getEndpointUri() + ": the filter uses ${" + m.group(1)
                        + "}, but this run reads no time window (give the sync a window, or a filter without it)");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf(value).replace("'", "''")));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private List<String> keys() {
        List<String> keys = new ArrayList<>();
        if (fieldKeys != null) {
            for (String k : fieldKeys.split(",")) {
                if (!k.isBlank()) {
                    keys.add(k.strip());
                }
            }
        }
        return keys;
    }

    public String getOperation() {
        return operation;
    }

    public String getFormId() {
        return formId;
    }

    public void setFormId(String formId) {
        this.formId = formId;
    }

    public String getFieldKeys() {
        return fieldKeys;
    }

    public void setFieldKeys(String fieldKeys) {
        this.fieldKeys = fieldKeys;
    }

    public String getFilter() {
        return filter;
    }

    public void setFilter(String filter) {
        this.filter = filter;
    }

    public String getOrderBy() {
        return orderBy;
    }

    public void setOrderBy(String orderBy) {
        this.orderBy = orderBy;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }
}
