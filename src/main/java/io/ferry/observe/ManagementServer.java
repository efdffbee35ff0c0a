package io.ferry.observe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.auth.Accounts;
import io.ferry.auth.HttpAuthentication;
import io.ferry.auth.LoginThrottle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Ferry's management server (Vert.x Web): health for the container's probes, Prometheus metrics, and, only when
 * turned on, Camel's read-only developer consoles. Nothing on it runs, sends or changes anything: it has no send,
 * upload, download or Jolokia action, and the developer consoles it serves are an allow-list called without options.
 * <ul>
 * <li>{@code /observe/health}, {@code /observe/health/live}, {@code /observe/health/ready}: always without a login
 * (probes), 503 when a check is DOWN;</li>
 * <li>{@code /observe/metrics}: behind a login (any user of {@code ferry.users.*} or token of {@code ferry.api.tokens.*})
 * once one is configured, open otherwise (read-only counts and names);</li>
 * <li>{@code /q/dev/<console>}: off by default; when on, always behind a login unless the server listens on loopback
 * only, and Ferry refuses to start otherwise;</li>
 * <li>what is {@link #mount mounted} on it (the REST API at {@code /api/v1}), which brings its own authentication.</li>
 * </ul>
 */
public class ManagementServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Camel's developer consoles that only read; "send", "properties", "bean", "endpoint" and the like are left out. */
    static final Set<String> DEV_CONSOLES = Set.of("context", "route", "health", "inflight", "blocked", "top",
            "thread", "memory", "gc", "jvm", "consumer", "route-controller");

    /**
     * @param sessionIdle how long a console login lasts without a request
     * @param secureCookies whether the console's cookies are sent over https only (a TLS proxy in front)
     */
    public record Settings(String host, int port, Accounts accounts, LoginThrottle.Settings throttle, boolean metricsEnabled,
            boolean devConsoleEnabled, java.time.Duration sessionIdle, boolean secureCookies) {

        boolean hasCredentials() {
            return !accounts.isEmpty();
        }
    }

    private final CamelContext camel;
    private final Settings settings;
    private final Function<CamelContext, PrometheusMeterRegistry> metrics;
    private final List<Map.Entry<String, BiFunction<Vertx, HttpAuthentication, Router>>> mounts = new ArrayList<>();
    private Vertx vertx;
    private HttpServer server;

    public ManagementServer(CamelContext camel, Settings settings, Function<CamelContext, PrometheusMeterRegistry> metrics) {
        this.camel = camel;
        this.settings = settings;
        this.metrics = metrics;
        check(settings);
    }

    /** Refuses a configuration that would open the developer consoles beyond loopback without a login. */
    static void check(Settings settings) {
        if (settings.devConsoleEnabled() && !isLoopback(settings.host()) && !settings.hasCredentials()) {
            throw new IllegalStateException("ferry.management.dev-console-enabled=true while the management server listens on "
                    + settings.host() + ", beyond loopback, needs a login: a user (ferry.users.<name>.password-hash from "
                    + "`ferry hash-password`, and .role); configure one, or listen on 127.0.0.1");
        }
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Serves the router {@code factory} makes at {@code path} (its sub-routes); called before the server starts. */
    public void mount(String path, BiFunction<Vertx, HttpAuthentication, Router> factory) {
        mounts.add(Map.entry(path, factory));
    }

    /** The port it listens on (the configured one, or the one the system chose for port 0). */
    public int port() {
        return server == null ? settings.port() : server.actualPort();
    }

    @Override
    protected void doStart() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
        Router router = Router.router(vertx);
        router.get("/observe/health").blockingHandler(ctx -> health(ctx, HealthCheckHelper.invoke(camel)), false);
        router.get("/observe/health/live").blockingHandler(ctx -> health(ctx, HealthCheckHelper.invokeLiveness(camel)), false);
        router.get("/observe/health/ready").blockingHandler(ctx -> health(ctx, HealthCheckHelper.invokeReadiness(camel)), false);
        HttpAuthentication authentication = new HttpAuthentication(settings.accounts(), new LoginThrottle(settings.throttle()),
                new io.ferry.auth.BrowserSessions(vertx, settings.sessionIdle(), settings.secureCookies()));
        HttpAuthentication login = settings.hasCredentials() ? authentication : null;
        for (Map.Entry<String, BiFunction<Vertx, HttpAuthentication, Router>> m : mounts) {
            router.route(m.getKey() + "/*").subRouter(m.getValue().apply(vertx, authentication));
        }
        if (settings.metricsEnabled()) {
            if (login != null) {
                router.get("/observe/metrics").handler(login);
            }
            router.get("/observe/metrics").blockingHandler(this::metrics, false);
        }
        if (settings.devConsoleEnabled()) {
            if (login != null) {
                router.get("/q/dev/*").handler(login);
                router.get("/q/dev").handler(login);
            }
            router.get("/q/dev").handler(ctx -> ctx.response().putHeader("content-type", "text/plain; charset=utf-8")
                    .end(String.join("\n", new java.util.TreeSet<>(DEV_CONSOLES)) + "\n"));
            router.get("/q/dev/:id").blockingHandler(this::devConsole, false);
        }
        server = vertx.createHttpServer(new HttpServerOptions().setHost(settings.host()).setPort(settings.port()))
                .requestHandler(router);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            vertx.close();
            throw new IllegalStateException("the management server cannot listen on " + settings.host() + ":" + settings.port()
                    + " (ferry.management.host/.port, FERRY_MANAGEMENT_HOST/_PORT): " + e.getCause().getMessage(), e.getCause());
        }
        List<String> paths = new ArrayList<>(List.of("/observe/health", "/observe/health/live", "/observe/health/ready"));
        if (settings.metricsEnabled()) {
            paths.add("/observe/metrics" + (login != null ? " (login)" : ""));
        }
        if (settings.devConsoleEnabled()) {
            paths.add("/q/dev" + (login != null ? " (login)" : ""));
        }
        mounts.forEach(m -> paths.add(m.getKey() + " (login)"));
        LOG.info("management server on http://{}:{}: {}", settings.host(), port(), String.join(", ", paths));
    }

    @Override
    protected void doStop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx = null;
            server = null;
        }
    }

    private void health(RoutingContext ctx, Collection<HealthCheck.Result> results) {
        boolean down = false;
        List<Map<String, Object>> checks = new ArrayList<>();
        for (HealthCheck.Result r : results) {
            down |= r.getState() == HealthCheck.State.DOWN;
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("name", r.getCheck().getId());
            check.put("status", r.getState().name());
            r.getMessage().ifPresent(m -> check.put("message", m));
            r.getError().ifPresent(e -> check.put("error", String.valueOf(e.getMessage())));
            Map<String, Object> data = new TreeMap<>();
            r.getDetails().forEach((k, v) -> data.put(k, v instanceof Number || v instanceof Boolean ? v : String.valueOf(v)));
            if (!data.isEmpty()) {
                check.put("data", data);
            }
            checks.add(check);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", down ? "DOWN" : "UP");
        body.put("checks", checks);
        try {
            ctx.response().setStatusCode(down ? 503 : 200).putHeader("content-type", "application/json")
                    .end(JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            ctx.fail(e);
        }
    }

    private void metrics(RoutingContext ctx) {
        PrometheusMeterRegistry registry = metrics.apply(camel);
        if (registry == null) {
            ctx.response().setStatusCode(404).end("metrics are off\n");
            return;
        }
        ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
    }

    private void devConsole(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        DevConsoleRegistry registry = camel.getCamelContextExtension().getContextPlugin(DevConsoleRegistry.class);
        DevConsole console = DEV_CONSOLES.contains(id) && registry != null ? registry.resolveById(id) : null;
        if (console == null) {
            ctx.response().setStatusCode(404).putHeader("content-type", "text/plain; charset=utf-8")
                    .end("no such console; the read-only consoles: " + String.join(", ", new java.util.TreeSet<>(DEV_CONSOLES)) + "\n");
            return;
        }
        // no options are passed on: some consoles act on them (start or stop a route, send a message)
        Object out = console.call(DevConsole.MediaType.TEXT, Map.of());
        ctx.response().putHeader("content-type", "text/plain; charset=utf-8").end(String.valueOf(out));
    }
}
