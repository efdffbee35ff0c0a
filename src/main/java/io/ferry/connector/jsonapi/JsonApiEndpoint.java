package io.ferry.connector.jsonapi;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

import org.apache.camel.Category;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;

import io.ferry.config.ConfigFile;
import io.ferry.http.CallBudget;
import io.ferry.http.Pacer;
import io.ferry.kernel.ConfigurationException;
import io.ferry.kernel.TransientException;
import io.ferry.kernel.source.PageFetcher;
import io.ferry.kernel.source.PagingStyle;
import io.ferry.kernel.source.SourceDefaults;
import io.ferry.kernel.source.SourceEndpoint;

/**
 * {@code jsonapi:NAME?url=RAW(https://host/v1/orders)&records=data&…}: one JSON API, as a paged source (the kernel
 * pages it: {@link SourceEndpoint}) or, with {@code operation=push}, as a sink of one call per row. NAME names the API
 * in messages; the URL is an option so that it can come from a property. No API is known: {@code records} is required;
 * the end signal defaults to a short page, paging to page numbers from 1, 100 records a page, at most
 * {@code maxPageSize}.
 */
@UriEndpoint(scheme = "jsonapi", title = "JSON API", syntax = "jsonapi:name", producerOnly = true, category = { Category.REST })
public class JsonApiEndpoint extends SourceEndpoint implements io.ferry.kernel.RendersRequest {

    @UriPath(description = "A name for the API, used in messages, e.g. orders")
    @Metadata(required = true)
    private final String name;
    @UriParam(description = "The API's URL, e.g. RAW(https://api.example.com/v1/orders); usually from a property.")
    @Metadata(required = true)
    private String url;
    @UriParam(defaultValue = "pull", description = "pull reads pages (a source); push sends each row of a batch (a sink).")
    private String operation = "pull";
    @UriParam(description = "The HTTP method: GET (the parameters in the query string) or POST (the parameters as a JSON"
            + " body) for pull, GET by default; POST or PUT for push, POST by default.")
    private String method;
    @UriParam(label = "source", defaultValue = "1000", description = "The largest pageSize accepted.")
    private int maxPageSize = 1000;
    @UriParam(label = "rate limit", defaultValue = "0", description = "At most this many calls in any one second, per API host"
            + " and credentials, shared by every endpoint that uses them (0: no limit).")
    private int requestsPerSecond;
    @UriParam(label = "rate limit", defaultValue = "0", description = "At most this many calls in any one minute, per API host"
            + " and credentials, shared by every endpoint that uses them (0: no limit).")
    private int requestsPerMinute;
    @UriParam(label = "rate limit", defaultValue = "0", description = "At most this many calls at once, per API host and"
            + " credentials, shared by every endpoint that uses them (0: no limit).")
    private int concurrentRequests;
    @UriParam(label = "rate limit", defaultValue = "500", description = "The first wait (ms) after an HTTP 429 that asks for"
            + " less (or has no Retry-After); each further 429 of the same call doubles it, with jitter.")
    private long rateLimitPause = 500;
    @UriParam(label = "rate limit", defaultValue = "30000", description = "The longest wait (ms) after one HTTP 429 of its"
            + " own choosing; a longer Retry-After is honoured up to maxRetryAfter.")
    private long rateLimitMaxPause = 30_000;
    @UriParam(label = "rate limit", defaultValue = "60000", description = "The longest wait (ms) for one HTTP 429, whatever"
            + " its Retry-After says.")
    private long maxRetryAfter = 60_000;
    @UriParam(label = "rate limit", defaultValue = "300000", description = "The longest time (ms) one call waits out HTTP 429s"
            + " before the run stops early (pull) or the batch is retried by the route (push).")
    private long rateLimitMaxWait = 300_000;
    @UriParam(label = "security", description = "The property that holds a bearer token (Authorization: Bearer).")
    private String bearerTokenProperty;
    @UriParam(label = "security", description = "The name of a header that carries the credential, e.g. X-Api-Key.")
    private String authHeaderName;
    @UriParam(label = "security", description = "The property that holds the value of authHeaderName.")
    private String authHeaderValueProperty;
    @UriParam(label = "security", description = "The name of a query parameter that carries the credential, e.g. api_key.")
    private String authQueryName;
    @UriParam(label = "security", description = "The property that holds the value of authQueryName.")
    private String authQueryValueProperty;
    @UriParam(label = "security", description = "The user of HTTP basic authentication.")
    private String basicUsername;
    @UriParam(label = "security", description = "The property that holds the password of HTTP basic authentication.")
    private String basicPasswordProperty;
    @UriParam(label = "push", description = "The field of a push's answer that says whether the row was taken, e.g. code.")
    private String successPath;
    @UriParam(label = "push", description = "The value(s) of successPath that mean the row was taken, comma-separated, e.g. 0.")
    private String successValue;
    @UriParam(label = "push", description = "The field of a push's answer that explains a refusal, e.g. message.")
    private String messagePath;
    @UriParam(label = "push", defaultValue = "Idempotency-Key", description = "The header that carries each row's business key"
            + " (the same in every attempt and run); empty sends none.")
    private String idempotencyHeader = "Idempotency-Key";

    private SuccessPredicate success;
    private volatile JsonApiClient client;

    JsonApiEndpoint(String uri, JsonApiComponent component, String name) {
        super(uri, component);
        this.name = name == null || name.isBlank() ? "api" : name.replaceAll("^/+", "");
    }

    /** Checks the options when the endpoint is made; the credentials are read at first use. */
    void validate() {
        // a blank url is reported when the sync runs (or as a setting it lacks), so an unconfigured sync stops no other
        if (url != null && !url.isBlank()) {
            try {
                URI u = URI.create(url.strip());
                if (u.getScheme() == null || !u.getScheme().toLowerCase(Locale.ROOT).startsWith("http") || u.getHost() == null) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(getEndpointUri() + ": url '" + url + "' is not an http(s) URL: " + e.getMessage(), e);
            }
        }
        if (maxPageSize < 1) {
            throw new IllegalArgumentException(getEndpointUri() + ": maxPageSize must be at least 1");
        }
        if (isPush()) {
            if (!Arrays.asList("POST", "PUT").contains(pushMethod())) {
                throw new IllegalArgumentException(getEndpointUri() + ": method " + method + " cannot push a row (expected POST or PUT)");
            }
            try {
                success = SuccessPredicate.of(successPath, successValue);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(getEndpointUri() + ": " + e.getMessage(), e);
            }
        } else {
            if (!Arrays.asList("GET", "POST").contains(sourceMethod())) {
                throw new IllegalArgumentException(getEndpointUri() + ": method " + method + " cannot read pages (expected GET or POST)");
            }
            validateSource();
        }
    }

    boolean isPush() {
        String op = operation == null ? "pull" : operation.strip().toLowerCase(Locale.ROOT);
        if (!op.equals("pull") && !op.equals("push")) {
            throw new IllegalArgumentException(getEndpointUri() + ": unknown operation '" + operation + "' (expected pull or push)");
        }
        return op.equals("push");
    }

    String sourceMethod() {
        return method == null || method.isBlank() ? "GET" : method.strip().toUpperCase(Locale.ROOT);
    }

    String pushMethod() {
        return method == null || method.isBlank() ? "POST" : method.strip().toUpperCase(Locale.ROOT);
    }

    SuccessPredicate success() {
        return success;
    }

    @Override
    protected SourceDefaults defaults() {
        PagingStyle style = getPaging() == null || getPaging().isBlank() ? PagingStyle.PAGE : PagingStyle.parse(getPaging());
        // a route's params are the whole request: no API is known, so names of the connector's own would only be in the way
        String params = getParams() != null && !getParams().isBlank() ? "{}" : switch (style) {
        case PAGE -> "{\"page\":\"${page}\",\"pageSize\":\"${pageSize}\"}";
        case OFFSET -> "{\"offset\":\"${offset}\",\"limit\":\"${pageSize}\"}";
        case CURSOR -> "{\"cursor\":\"${cursor}\",\"limit\":\"${pageSize}\"}";
        case LAST_RECORD -> "{\"after\":\"${cursor}\",\"limit\":\"${pageSize}\"}";
        };
        return new SourceDefaults(params, null, "short", PagingStyle.PAGE, 1, 100, maxPageSize);
    }

    @Override
    protected String what() {
        return "jsonapi " + name;
    }

    @Override
    protected PageFetcher fetcher() {
        return new JsonApiSource(this, client(), linkPaging());
    }

    /** Cursor paging whose end signal reads the Link header: the cursor is then the next page's URL. */
    private boolean linkPaging() {
        return spec().paging() == PagingStyle.CURSOR && getEndSignal() != null
                && Arrays.stream(getEndSignal().split(",")).anyMatch(c -> c.strip().equalsIgnoreCase("link"));
    }

    @Override
    public Producer createProducer() {
        return isPush() ? new JsonApiPushProducer(this) : super.createProducer();
    }

    /** The client, made on first use: the credentials are read from their properties then, not when routes start. */
    JsonApiClient client() {
        JsonApiClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    JsonApiComponent component = (JsonApiComponent) getComponent();
                    ConfigFile file = getCamelContext().getRegistry().findSingleByType(ConfigFile.class);
                    ConfigFile names = file != null ? file : ConfigFile.load();
                    JsonApiAuth auth = JsonApiAuth.resolve(this, component, p -> {
                        try {
                            return getCamelContext().getPropertiesComponent().resolveProperty(p).orElse(null);
                        } catch (RuntimeException e) {
                            throw new ConfigurationException(what() + ": the property " + p + " cannot be read: " + e.getMessage(), e);
                        }
                    }, names::describe);
                    URI api = uri();
                    CallBudget budget = component.budget("jsonapi " + api.getScheme() + "://" + api.getAuthority() + " as "
                            + auth.identity(), new CallBudget.Limits(requestsPerSecond, requestsPerMinute, concurrentRequests));
                    Pacer pacer = new Pacer(budget, new Pacer.Policy(Duration.ofMillis(rateLimitPause),
                            Duration.ofMillis(Math.max(rateLimitPause, rateLimitMaxPause)), Duration.ofMillis(rateLimitMaxWait),
                            Duration.ofMillis(maxRetryAfter)));
                    client = new JsonApiClient(this, component.http(), auth, pacer);
                }
                c = client;
            }
        }
        return c;
    }

    /**
     * The calls a batch would be pushed as, without sending: one call of each row as its JSON body (the
     * authentication headers are left out); null for a source endpoint, which is no sink.
     */
    @Override
    public java.util.List<Object> render(java.util.List<?> rows) {
        if (!isPush()) {
            return null;
        }
        java.util.List<Object> calls = new java.util.ArrayList<>(rows.size());
        for (Object row : rows) {
            java.util.Map<String, Object> call = new java.util.LinkedHashMap<>();
            call.put("method", pushMethod());
            call.put("url", uri().toString());
            String header = getIdempotencyHeader();
            if (header != null && !header.isBlank()) {
                call.put("idempotencyHeader", header.strip() + ": the row's business key");
            }
            call.put("body", row);
            calls.add(call);
        }
        return calls;
    }

    /**
     * The configured URL. Missing, it fails the call as a {@link TransientException}: a push then keeps its rows
     * undelivered and unmarked (the run fails) where any other error would dead-letter them.
     */
    URI uri() {
        if (url == null || url.isBlank()) {
            throw new TransientException(what() + " has no url: set it in application.properties or its environment variable");
        }
        return URI.create(url.strip());
    }

    public String getName() {
        return name;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getOperation() {
        return operation;
    }

    public void setOperation(String operation) {
        this.operation = operation;
    }

    public String getMethod() {
        return method;
    }

    public void setMethod(String method) {
        this.method = method;
    }

    public int getMaxPageSize() {
        return maxPageSize;
    }

    public void setMaxPageSize(int maxPageSize) {
        this.maxPageSize = maxPageSize;
    }

    public int getRequestsPerSecond() {
        return requestsPerSecond;
    }

    public void setRequestsPerSecond(int requestsPerSecond) {
        this.requestsPerSecond = requestsPerSecond;
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

    public int getRequestsPerMinute() {
        return requestsPerMinute;
    }

    public void setRequestsPerMinute(int requestsPerMinute) {
        this.requestsPerMinute = requestsPerMinute;
    }

    public long getMaxRetryAfter() {
        return maxRetryAfter;
    }

    public void setMaxRetryAfter(long maxRetryAfter) {
        this.maxRetryAfter = maxRetryAfter;
    }

    public long getRateLimitMaxWait() {
        return rateLimitMaxWait;
    }

    public void setRateLimitMaxWait(long rateLimitMaxWait) {
        this.rateLimitMaxWait = rateLimitMaxWait;
    }

    public String getBearerTokenProperty() {
        return bearerTokenProperty;
    }

    public void setBearerTokenProperty(String bearerTokenProperty) {
        this.bearerTokenProperty = bearerTokenProperty;
    }

    public String getAuthHeaderName() {
        return authHeaderName;
    }

    public void setAuthHeaderName(String authHeaderName) {
        this.authHeaderName = authHeaderName;
    }

    public String getAuthHeaderValueProperty() {
        return authHeaderValueProperty;
    }

    public void setAuthHeaderValueProperty(String authHeaderValueProperty) {
        this.authHeaderValueProperty = authHeaderValueProperty;
    }

    public String getAuthQueryName() {
        return authQueryName;
    }

    public void setAuthQueryName(String authQueryName) {
        this.authQueryName = authQueryName;
    }

    public String getAuthQueryValueProperty() {
        return authQueryValueProperty;
    }

    public void setAuthQueryValueProperty(String authQueryValueProperty) {
        this.authQueryValueProperty = authQueryValueProperty;
    }

    public String getBasicUsername() {
        return basicUsername;
    }

    public void setBasicUsername(String basicUsername) {
        this.basicUsername = basicUsername;
    }

    public String getBasicPasswordProperty() {
        return basicPasswordProperty;
    }

    public void setBasicPasswordProperty(String basicPasswordProperty) {
        this.basicPasswordProperty = basicPasswordProperty;
    }

    public String getSuccessPath() {
        return successPath;
    }

    public void setSuccessPath(String successPath) {
        this.successPath = successPath;
    }

    public String getSuccessValue() {
        return successValue;
    }

    public void setSuccessValue(String successValue) {
        this.successValue = successValue;
    }

    public String getMessagePath() {
        return messagePath;
    }

    public void setMessagePath(String messagePath) {
        this.messagePath = messagePath;
    }

    public String getIdempotencyHeader() {
        return idempotencyHeader;
    }

    public void setIdempotencyHeader(String idempotencyHeader) {
        this.idempotencyHeader = idempotencyHeader == null ? "" : idempotencyHeader.strip();
    }
}
