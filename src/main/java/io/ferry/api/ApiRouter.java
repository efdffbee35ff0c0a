package io.ferry.api;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.auth.HttpAuthentication;
import io.ferry.auth.Principal;
import io.ferry.auth.Role;
import io.ferry.http.ApiCall;
import io.ferry.operate.DeadLetterActions;
import io.ferry.operate.DeadLetterJobs;
import io.ferry.operate.Fleet;
import io.ferry.operate.Fleet.SyncView;
import io.ferry.operate.Schedules;
import io.ferry.pipeline.SyncPosition;
import io.ferry.pipeline.SyncRegistry;
import io.ferry.pipeline.SyncRun;
import io.ferry.pipeline.SyncSettings;
import io.ferry.state.ApiCallRepository;
import io.ferry.state.ApiCallRepository.CallFilter;
import io.ferry.state.ApiCallRepository.StoredCall;
import io.ferry.state.AuditRepository;
import io.ferry.state.AuditRepository.AuditEntry;
import io.ferry.state.DeadLetterRepository;
import io.ferry.state.DeadLetterRepository.DeadLetter;
import io.ferry.state.DeadLetterRepository.DeadLetterFilter;
import io.ferry.state.FerryState;
import io.ferry.state.RunRepository;
import io.ferry.state.RunRepository.RunFilter;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.state.SyncStateEdits.Outcome;
import io.ferry.state.SyncedKeyRepository.SyncedKey;
import io.ferry.observe.SyncActions;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Ferry's REST API, {@code /api/v1} on the management server: JSON over the state tables and the operator's actions,
 * every call behind {@link HttpAuthentication} (the OpenAPI file excepted) and a role. Every state-changing call and
 * every one refused for its role or a conflict is a row of {@code ferry_audit}. Lists page by id ({@code after}) and
 * say whether more follow. The paths, parameters and answers are documented in {@code openapi/ferry-api.yaml}.
 */
public final class ApiRouter {

    public static final String OPENAPI = "openapi/ferry-api.yaml";
    /** a JSON body larger than this is refused with 413 */
    static final long MAX_BODY = 64 * 1024;
    /** ids one replay or discard may name, and dead letters one by filter takes */
    static final int MAX_BATCH = 500;
    private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FerryState state;
    private final SyncRegistry syncs;
    private final SyncActions actions;
    private final Fleet fleet;
    private final Schedules schedules;
    private final ApiCallRepository apiCalls;
    private final AuditRepository audit;
    private final ExecutorService runner;
    private final Previews previews;

    /** A sync's preview in the running Ferry (SyncPreview), as the API answers it. */
    @FunctionalInterface
    public interface Previews {
        Map<String, Object> take(String sync, int limit, java.time.Instant[] window);
    }
    /** threads for the API's calls, beside the management server's own */
    static final int WORKERS = 4;
    private WorkerExecutor worker;

    private final io.ferry.observe.RunLog runLog;
    private final DeadLetterJobs jobs;

    public ApiRouter(FerryState state, SyncRegistry syncs, SyncActions actions, Schedules schedules, ApiCallRepository apiCalls,
            AuditRepository audit, Function<String, String> properties, ExecutorService runner, Previews previews,
            io.ferry.cluster.SyncLeadership leadership, io.ferry.observe.RunLog runLog, ExecutorService jobRunner) {
        this.state = state;
        this.previews = previews;
        this.syncs = syncs;
        this.actions = actions;
        this.schedules = schedules;
        this.runLog = runLog;
        this.jobs = new DeadLetterJobs(jobRunner, this::deadLetterActions);
        this.fleet = new Fleet(state, syncs, actions, schedules, properties, leadership);
        this.apiCalls = apiCalls;
        this.audit = audit;
        this.runner = runner;
    }

    /** Mounts the API at {@code /api/v1} on the management server (before it starts); its run-now thread stops with Camel. */
    public static void mountOn(org.apache.camel.CamelContext camel, io.ferry.observe.ManagementServer management, FerryState state,
            SyncRegistry syncs) {
        SyncActions actions = camel.getRegistry().lookupByNameAndType("ferrySyncActions", SyncActions.class);
        ExecutorService runner = camel.getExecutorServiceManager().newCachedThreadPool(ApiRouter.class, "ferry-api-run-now");
        // bulk dead-letter jobs, one after the other
        ExecutorService jobRunner = camel.getExecutorServiceManager().newSingleThreadExecutor(ApiRouter.class, "ferry-dead-letter-jobs");
        var props = camel.getPropertiesComponent();
        ApiRouter api = new ApiRouter(state, syncs, actions, new Schedules(camel), new ApiCallRepository(state.dataSource()),
                new AuditRepository(state.dataSource()), key -> props.resolveProperty(key).orElse(null), runner,
                (sync, limit, window) -> io.ferry.operate.SyncPreview.take(camel, state, syncs, camel.getRegistry().lookupByNameAndType(
                        io.ferry.config.SyncConfiguration.BEAN, io.ferry.config.SyncConfiguration.class), sync, limit, window).json(),
                io.ferry.cluster.SyncLeadership.of(camel), camel.getRegistry().lookupByNameAndType(
                        io.ferry.observe.Observability.RUN_LOG_BEAN, io.ferry.observe.RunLog.class), jobRunner);
        management.mount("/api/v1", api::router);
    }

    /** The sub-router to mount at {@code /api/v1}. */
    public Router router(Vertx vertx, HttpAuthentication authentication) {
        // a replay of 500 dead letters holds its thread: not the pool the health probes answer on
        worker = vertx.createSharedWorkerExecutor("ferry-api", WORKERS);
        Router r = Router.router(vertx);
        r.get("/openapi.yaml").handler(this::openApi);
        // the body is read before authentication, which may wait for bcrypt off the event loop: a body that arrived
        // meanwhile would be lost to a BodyHandler after it
        r.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
        r.post().handler(ApiRouter::notFromAnotherSite);
        if (authentication.sessions() != null) {
            // the console's calls: its login's session (and, on every change, its CSRF token)
            r.route().handler(authentication.sessions().sessions());
        }
        r.route().handler(authentication);
        // logins to the console, their logouts and every login refused are rows of the audit too
        authentication.onLogin((action, user, p, client, detail) -> audit.add(user == null ? "(token)" : Query.cut(user),
                p == null ? "unknown" : p.kind().id(), p == null ? "none" : p.role().id(), action, p == null ? null : p.name(), client,
                p == null ? AuditRepository.REFUSED : AuditRepository.OK, detail));
        get(r, "/me", Role.VIEWER, this::me);
        get(r, "/syncs", Role.VIEWER, this::syncs);
        get(r, "/syncs/:sync", Role.VIEWER, this::syncOne);
        get(r, "/syncs/:sync/activity", Role.VIEWER, this::activity);
        post(r, "/syncs/:sync/run", Role.OPERATOR, "run-now", this::runNow);
        post(r, "/syncs/:sync/pause", Role.OPERATOR, "pause", this::pause);
        post(r, "/syncs/:sync/resume", Role.OPERATOR, "resume", this::resume);
        // it calls the vendor: an operator's, though it writes nothing
        get(r, "/syncs/:sync/preview", Role.OPERATOR, this::preview);
        get(r, "/runs", Role.VIEWER, this::runs);
        get(r, "/runs/:id", Role.VIEWER, this::run);
        get(r, "/runs/:id/api-calls", Role.VIEWER, this::runApiCalls);
        get(r, "/runs/:id/dead-letters", Role.VIEWER, this::runDeadLetters);
        get(r, "/runs/:id/log", Role.VIEWER, this::runLog);
        get(r, "/dead-letters", Role.VIEWER, this::deadLetters);
        post(r, "/dead-letters/replay", Role.OPERATOR, "replay", this::replay);
        post(r, "/dead-letters/discard", Role.OPERATOR, "discard", this::discard);
        post(r, "/dead-letters/jobs", Role.OPERATOR, "bulk", this::startJob);
        get(r, "/dead-letters/jobs", Role.VIEWER, this::jobs);
        get(r, "/dead-letters/jobs/:id", Role.VIEWER, this::job);
        get(r, "/api-calls", Role.VIEWER, this::apiCalls);
        get(r, "/records/:sync/:key", Role.VIEWER, this::record);
        get(r, "/state/:sync", Role.VIEWER, this::stateOf);
        post(r, "/state/:sync/set-position", Role.ADMIN, "set-position", this::setPosition);
        post(r, "/state/:sync/reset", Role.ADMIN, "reset", this::reset);
        get(r, "/audit", Role.VIEWER, this::auditPage);
        r.route().handler(ctx -> error(ctx, 404, "no such endpoint: " + ctx.request().method() + " " + ctx.normalizedPath()
                + " (GET /api/v1/openapi.yaml lists them)"));
        r.errorHandler(413, ctx -> error(ctx, 413, "the body is larger than " + MAX_BODY + " bytes"));
        // the CSRF handler's refusal of a console call: a form token missing, stale or from another session
        r.errorHandler(403, ctx -> error(ctx, 403, "the console's form token (X-XSRF-TOKEN) is missing or stale: reload the page"));
        r.errorHandler(400, ctx -> error(ctx, 400, "bad request"));
        r.errorHandler(500, ctx -> {
            LOG.error("API {} {} failed", ctx.request().method(), ctx.normalizedPath(), ctx.failure());
            error(ctx, 500, "internal error (logged)");
        });
        return r;
    }

    // ---- routes

    /**
     * What a page on another site can make a browser send: a form (url-encoded, multipart or text/plain, the types
     * that need no CORS preflight), or any request the browser marks cross-site. A browser that has Basic credentials
     * for this server attaches them to such a request; it is refused before the credentials are looked at.
     * Scripts and tools send JSON or no body, and no Sec-Fetch-Site.
     */
    private static void notFromAnotherSite(RoutingContext ctx) {
        String type = ctx.request().getHeader("content-type");
        String t = type == null ? "" : type.toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("application/x-www-form-urlencoded") || t.startsWith("multipart/form-data") || t.startsWith("text/plain")) {
            error(ctx, 415, "a POST takes a JSON body (Content-Type: application/json) or none, not a form");
            return;
        }
        String site = ctx.request().getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            error(ctx, 403, "a request another site's page made (Sec-Fetch-Site: " + Query.cut(site) + ") is refused");
            return;
        }
        ctx.next();
    }

    @FunctionalInterface
    private interface Read {
        Object answer(RoutingContext ctx) throws Exception;
    }

    /** A state-changing call: its answer, and the audit row's target and detail. */
    record Done(int status, Object body, String target, String detail) {
    }

    @FunctionalInterface
    private interface Change {
        Done apply(RoutingContext ctx, Principal who) throws Exception;
    }

    private void get(Router r, String path, Role role, Read read) {
        r.get(path).handler(ctx -> blocking(ctx, () -> {
            try {
                if (allowed(ctx, role, null)) {
                    json(ctx, 200, read.answer(ctx));
                }
            } catch (ApiException e) {
                error(ctx, e.status, e.getMessage());
            } catch (Exception e) {
                ctx.fail(e);
            }
        }));
    }

    private void post(Router r, String path, Role role, String action, Change change) {
        Route route = r.post(path);
        route.handler(ctx -> blocking(ctx, () -> {
            Principal who = HttpAuthentication.principal(ctx);
            try {
                if (!allowed(ctx, role, action)) {
                    return;
                }
                Done done = change.apply(ctx, who);
                audit(ctx, who, action, done.target(), done.status() == 409 ? AuditRepository.REFUSED : AuditRepository.OK,
                        done.detail());
                json(ctx, done.status(), done.body());
            } catch (ApiException e) {
                if (e.status == 409) {
                    audit(ctx, who, action, target(ctx), AuditRepository.REFUSED, e.getMessage());
                }
                error(ctx, e.status, e.getMessage());
            } catch (Exception e) {
                ctx.fail(e);
            }
        }));
    }

    private void blocking(RoutingContext ctx, Runnable work) {
        worker.executeBlocking(() -> {
            work.run();
            return null;
        }, false).onFailure(ctx::fail);
    }

    /** The role check: 403 naming the role needed, and an audit row for an action refused. */
    private boolean allowed(RoutingContext ctx, Role needed, String action) {
        Principal who = HttpAuthentication.principal(ctx);
        if (who.role().covers(needed)) {
            return true;
        }
        String why = ctx.request().method() + " " + ctx.normalizedPath() + " needs the role " + needed.id() + "; "
                + who.name() + " has " + who.role().id();
        audit(ctx, who, action == null ? "read" : action, target(ctx), AuditRepository.REFUSED, why);
        error(ctx, 403, why);
        return false;
    }

    private void audit(RoutingContext ctx, Principal who, String action, String target, String result, String detail) {
        audit.add(who.name(), who.kind().id(), who.role().id(), action, target, client(ctx), result, detail);
    }

    private static String client(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    }

    private static String target(RoutingContext ctx) {
        String sync = ctx.pathParam("sync");
        return sync != null ? sync : ctx.normalizedPath();
    }

    // ---- syncs

    private Object syncs(RoutingContext ctx) {
        Query q = new Query(ctx, Set.of("status", "limit", "after"));
        String status = q.oneOf("status", Fleet.STATES);
        int limit = q.limit();
        String after = q.text("after");
        List<String> names = fleet.names().stream().filter(n -> after == null || n.compareTo(after) > 0).toList();
        List<SyncView> views = fleet.views(names).stream().filter(v -> status == null || status.equals(v.state())).toList();
        List<Object> items = new ArrayList<>();
        views.stream().limit(limit).forEach(v -> items.add(ApiJson.sync(v)));
        boolean more = views.size() > limit;
        return ApiJson.page(items, limit, more, more ? views.get(limit - 1).sync() : null, null);
    }

    private Object syncOne(RoutingContext ctx) {
        new Query(ctx, Set.of());
        return ApiJson.sync(fleet.view(knownSync(ctx)));
    }

    private Object me(RoutingContext ctx) {
        new Query(ctx, Set.of());
        Principal who = HttpAuthentication.principal(ctx);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", who.name());
        m.put("kind", who.kind().id());
        m.put("role", who.role().id());
        m.put("node", state.node());
        return m;
    }

    /** Per minute over the last {@code hours} (1 to 168, 24 when not given): records read, written, dead-lettered, failed calls. */
    private Object activity(RoutingContext ctx) {
        Query q = new Query(ctx, Set.of("hours"));
        String sync = knownSync(ctx);
        String h = q.text("hours");
        long hours = h == null ? 24 : Query.positive("hours", h);
        if (hours > 168) {
            throw ApiException.badRequest("hours must be 1 to 168 (a week), not " + hours);
        }
        return io.ferry.operate.SyncActivity.of(state, apiCalls, syncs, sync, java.time.Duration.ofHours(hours), Instant.now());
    }

    private String knownSync(RoutingContext ctx) {
        String sync = ctx.pathParam("sync");
        if (!fleet.knows(sync)) {
            throw ApiException.notFound("no sync '" + Query.cut(sync) + "' here or in the state database");
        }
        return sync;
    }

    private String syncOfThisProcess(RoutingContext ctx) {
        String sync = knownSync(ctx);
        if (!actions.knows(sync)) {
            throw ApiException.notFound(sync + " is not run by this process (it has only runs in the state database)");
        }
        return sync;
    }

    /**
     * What the sync's next run would read first (or one window), deduplicated and mapped, as {@code ferry preview
     * --format json} prints it; nothing is written.
     */
    private Object preview(RoutingContext ctx) {
        Query q = new Query(ctx, Set.of("limit", "window"));
        String sync = syncOfThisProcess(ctx);
        String missing = actions.notConfigured(sync);
        if (missing != null) {
            throw ApiException.conflict(sync + " is " + missing);
        }
        int limit = q.text("limit") == null ? PREVIEW_LIMIT : q.limit();
        String window = q.text("window");
        try {
            java.time.Instant[] range = window == null ? null : io.ferry.operate.SyncPreview.window("window", window);
            return previews.take(sync, limit, range);
        } catch (io.ferry.kernel.ConfigurationException e) {
            // a sync not configured, a window for a sync not read by window, a window that does not parse
            throw ApiException.badRequest(e.getMessage());
        }
    }

    static final int PREVIEW_LIMIT = 20;

    private Done runNow(RoutingContext ctx, Principal who) throws Exception {
        String sync = syncOfThisProcess(ctx);
        String missing = actions.notConfigured(sync);
        if (missing != null) {
            throw ApiException.conflict(sync + " is " + missing);
        }
        if (actions.isRunning(sync)) {
            throw ApiException.conflict(sync + " is running (run " + runningId(sync) + ")");
        }
        CompletableFuture<RunRecord> done = CompletableFuture.supplyAsync(() -> actions.runNow(sync), runner);
        // answer once the run has opened its row (or ended, for a short one): the caller gets its id
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!done.isDone() && syncs.current(sync) == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sync", sync);
        if (done.isDone()) {
            RunRecord r;
            try {
                r = done.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw ApiException.conflict(sync + " did not run: " + e.getCause().getMessage());
            }
            if (r == null) {
                throw ApiException.conflict(sync + " is running already");
            }
            body.put("run", ApiJson.run(r));
            return new Done(200, body, sync, "run " + r.id() + " " + r.status());
        }
        SyncRun current = syncs.current(sync);
        body.put("run", current == null ? null : ApiJson.run(current.record()));
        return new Done(202, body, sync, current == null ? "started" : "run " + current.runId() + " started");
    }

    private Long runningId(String sync) {
        SyncRun r = syncs.current(sync);
        return r == null ? null : r.runId();
    }

    private Done pause(RoutingContext ctx, Principal who) throws Exception {
        String sync = syncOfThisProcess(ctx);
        Schedules.Outcome o = schedules.pause(sync);
        return schedule(sync, o);
    }

    private Done resume(RoutingContext ctx, Principal who) throws Exception {
        String sync = syncOfThisProcess(ctx);
        return schedule(sync, schedules.resume(sync));
    }

    private static Done schedule(String sync, Schedules.Outcome o) {
        if (!o.changed()) {
            throw ApiException.conflict(o.why());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sync", sync);
        body.put("schedule", o.status());
        return new Done(200, body, sync, "schedule " + o.status());
    }

    // ---- runs

    private Object runs(RoutingContext ctx) {
        Query q = new Query(ctx, Set.of("sync", "status", "kind", "limit", "after"));
        RunFilter f = new RunFilter(q.text("sync"), q.oneOf("status", List.of("running", "succeeded", "failed", "partial",
                "abandoned")), q.oneOf("kind", List.of(RunRepository.SYNC, RunRepository.REPLAY)));
        int limit = q.limit();
        List<RunRecord> rows = state.runs().page(f, q.id("after"), limit + 1);
        List<Object> items = new ArrayList<>();
        rows.stream().limit(limit).forEach(r -> items.add(ApiJson.run(live(r))));
        boolean more = rows.size() > limit;
        return ApiJson.page(items, limit, more, more ? String.valueOf(rows.get(limit - 1).id()) : null, state.runs().count(f));
    }

    private RunRecord knownRun(RoutingContext ctx) {
        long id = Query.positive("run id", ctx.pathParam("id"));
        RunRecord r = state.runs().find(id);
        if (r == null) {
            throw ApiException.notFound("no run " + id);
        }
        return r;
    }

    /** The run with its counts so far when it runs in this process: the row is written only now and then while it goes on. */
    private RunRecord live(RunRecord r) {
        SyncRun live = "running".equals(r.status()) ? syncs.current(r.syncName()) : null;
        return live != null && live.runId() == r.id() ? live.record() : r;
    }

    private Object run(RoutingContext ctx) {
        new Query(ctx, Set.of());
        RunRecord r = knownRun(ctx);
        Map<String, Object> m = ApiJson.run(r);
        m.put("node", state.runs().node(r.id()));
        SyncRun live = syncs.current(r.syncName());
        if (live != null && live.runId() == r.id()) {
            // the counts in memory: the run row is written only now and then while it goes on
            Map<String, Object> p = new LinkedHashMap<>(ApiJson.run(live.record()));
            long ms = live.elapsed().toMillis();
            double rate = ms == 0 ? 0 : live.read() * 1000.0 / ms;
            p.put("elapsedMillis", ms);
            p.put("recordsPerSecond", Math.round(rate));
            // the source's own count, when its answers carry one (total_count, data_count …)
            Long total = live.paging().total();
            p.put("sourceTotal", total);
            p.put("secondsLeft", total == null || rate <= 0 ? null : Math.max(0, Math.round((total - live.read()) / rate)));
            m.put("progress", p);
        }
        m.put("openDeadLetters", state.deadLetters().count(new DeadLetterFilter(r.syncName(), null, null, null, "open")));
        return m;
    }

    private Object runApiCalls(RoutingContext ctx) {
        Query q = new Query(ctx, Set.of("limit", "after"));
        RunRecord r = knownRun(ctx);
        return callPage(new CallFilter(null, r.id(), null), q);
    }

    private Object runDeadLetters(RoutingContext ctx) {
        Query q = new Query(ctx, Set.of("limit", "after"));
        RunRecord r = knownRun(ctx);
        return deadLetterPage(new DeadLetterFilter(r.syncName(), null, null, null, null, r.id()), q);
    }

    /** A page of the dead letters the filter matches, newest first, with their total. */
    private Object deadLetterPage(DeadLetterFilter f, Query q) {
        int limit = q.limit();
        List<DeadLetter> rows = state.deadLetters().page(f, q.id("after"), limit + 1);
        List<Object> items = new ArrayList<>();
        rows.stream().limit(limit).forEach(d -> items.add(ApiJson.deadLetter(d)));
        boolean more = rows.size() > limit;
        return ApiJson.page(items, limit, more, more ? String.valueOf(rows.get(limit - 1).id()) : null, state.deadLetters().count(f));
    }

    /** The run's log lines, as far as this process logged them (the last {@code limit}, oldest first). */
    private Object runLog(RoutingContext ctx) {
        Query q = new Query(ctx, Set.of("limit"));
        RunRecord r = knownRun(ctx);
        int limit = q.limit();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", r.id());
        String node = state.runs().node(r.id());
        boolean here = node == null || node.equals(state.node()) || node.equals(state.node() + " (replay)");
        m.put("node", node);
        List<Object> lines = new ArrayList<>();
        if (runLog != null && here) {
            for (io.ferry.observe.RunLog.Line l : runLog.of(r.syncName(), r.startedAt(), r.endedAt(), limit)) {
                Map<String, Object> i = new LinkedHashMap<>();
                i.put("at", ApiJson.time(l.at()));
                i.put("level", l.level());
                i.put("logger", l.logger());
                i.put("message", l.message());
                lines.add(i);
            }
        }
        m.put("lines", lines);
        m.put("note", runLog == null ? "the console is off: no lines are kept"
                : !here ? "the run was on " + node + "; this process is " + state.node() + ": its lines are in that replica's log"
                : runLog.truncatedSince(r.syncName(), r.startedAt()) ? "only the last lines are kept in memory; the process log has all"
                : lines.isEmpty() ? "no lines of this run in this process's memory (it restarted since, or the run logged none)" : null);
        return m;
    }

    private Object apiCalls(RoutingContext ctx) {
        Query q = new Query(ctx, Set.of("sync", "run", "text", "limit", "after"));
        return callPage(new CallFilter(q.text("sync"), q.id("run"), q.text("text")), q);
    }

    private Object callPage(CallFilter f, Query q) {
        int limit = q.limit();
        List<StoredCall> rows = apiCalls.page(f, q.id("after"), limit + 1);
        List<Object> items = new ArrayList<>();
        rows.stream().limit(limit).forEach(c -> items.add(ApiJson.call(c)));
        boolean more = rows.size() > limit;
        // no total: counting calls that match a text would read every body
        return ApiJson.page(items, limit, more, more ? String.valueOf(rows.get(limit - 1).id()) : null, null);
    }

    // ---- dead letters

    private static final List<String> STAGES = List.of("PAGE", "RECORD", "SINK");
    private static final List<String> DL_STATUSES = List.of("open", "replayed", "discarded", "resolved");

    private Object deadLetters(RoutingContext ctx) {
        Query q = new Query(ctx, Set.of("sync", "key", "stage", "error", "status", "limit", "after"));
        DeadLetterFilter f = filter(q.text("sync"), q.text("key"), q.oneOf("stage", STAGES), q.text("error"),
                q.oneOf("status", DL_STATUSES));
        return deadLetterPage(f, q);
    }

    private static DeadLetterFilter filter(String sync, String key, String stage, String error, String status) {
        return new DeadLetterFilter(sync, key, stage == null ? null : DeadLetterRepository.Stage.valueOf(stage), error,
                status == null ? "open" : status);
    }

    private Done replay(RoutingContext ctx, Principal who) {
        new Query(ctx, Set.of());
        Selection s = select(ctx, false);
        List<DeadLetterActions.Result> results = deadLetterActions().replay(s.ids());
        long ok = results.stream().filter(DeadLetterActions.Result::done).count();
        return new Done(200, batch(s, results), s.describe(), "replayed " + ok + " of " + results.size());
    }

    private Done discard(RoutingContext ctx, Principal who) {
        new Query(ctx, Set.of());
        Selection s = select(ctx, true);
        List<DeadLetterActions.Result> results = deadLetterActions().discard(s.ids(), s.reason());
        long ok = results.stream().filter(DeadLetterActions.Result::done).count();
        return new Done(200, batch(s, results), s.describe(), "discarded " + ok + " of " + results.size());
    }

    /**
     * A bulk replay or discard in the background: {@code {"action": "replay"|"discard", "ids": […]}} or with a
     * {@code filter} (every open dead letter it matches, up to MAX_JOB), and a {@code reason} for a discard. 202 with the job.
     */
    private Done startJob(RoutingContext ctx, Principal who) {
        new Query(ctx, Set.of());
        JsonNode body = body(ctx);
        JsonNode a = body.get("action");
        if (a == null || !a.isTextual() || !List.of("replay", "discard").contains(a.asText())) {
            throw ApiException.badRequest("action must be \"replay\" or \"discard\"");
        }
        DeadLetterJobs.Action action = DeadLetterJobs.Action.valueOf(a.asText().toUpperCase(java.util.Locale.ROOT));
        com.fasterxml.jackson.databind.node.ObjectNode rest = ((com.fasterxml.jackson.databind.node.ObjectNode) body).deepCopy();
        rest.remove("action");
        Selection s = select(rest, action == DeadLetterJobs.Action.DISCARD, rest.has("ids") ? MAX_JOB_IDS : MAX_JOB);
        if (s.ids().isEmpty()) {
            throw ApiException.conflict("no open dead letter matches " + s.describe());
        }
        DeadLetterJobs.Job job;
        try {
            job = jobs.start(action, s.ids(), s.reason(), s.describe(), actor(who), ended -> audit.add(who.name(),
                who.kind().id(), who.role().id(), action.id() + "-done", s.describe(), client(ctx),
                ended.error() == null ? AuditRepository.OK : AuditRepository.REFUSED, "job " + ended.id() + ": " + action.id() + " "
                        + ended.succeeded() + " of " + ended.tried() + (ended.error() == null ? "" : "; stopped: " + ended.error())));
        } catch (DeadLetterJobs.TooManyJobsException e) {
            throw ApiException.conflict(e.getMessage());
        }
        return new Done(202, ApiJson.job(job, 0, 0), s.describe(), "job " + job.id() + ": " + action.id() + " " + job.total());
    }

    /** dead letters one background job takes at most */
    static final int MAX_JOB = 10_000;
    /** ids one job may name: 5000 ids fit the body limit */
    static final int MAX_JOB_IDS = 5_000;

    private Object jobs(RoutingContext ctx) {
        new Query(ctx, Set.of());
        List<Object> items = new ArrayList<>();
        jobs.recent().forEach(j -> items.add(ApiJson.job(j, 0, 0)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        return m;
    }

    private Object job(RoutingContext ctx) {
        Query q = new Query(ctx, Set.of("limit", "after"));
        long id = Query.positive("job id", ctx.pathParam("id"));
        DeadLetterJobs.Job j = jobs.find(id);
        if (j == null) {
            throw ApiException.notFound("no job " + id + " in this process (jobs are kept in memory, the last 50)");
        }
        Long after = q.id("after");
        return ApiJson.job(j, after == null ? 0 : (int) Math.min(Integer.MAX_VALUE, after), q.limit());
    }

    private DeadLetterActions deadLetterActions() {
        if (actions.deadLetters() == null) {
            throw ApiException.conflict("replay and discard are unavailable: no dead-letter service is bound");
        }
        return new DeadLetterActions(state.deadLetters(), actions.deadLetters());
    }

    /** The dead letters a replay or discard names: {@code ids}, or the open ones a {@code filter} matches (at most MAX_BATCH). */
    record Selection(List<Long> ids, String reason, String describe, long matched) {
    }

    private Selection select(RoutingContext ctx, boolean needsReason) {
        return select(body(ctx), needsReason, MAX_BATCH);
    }

    private Selection select(JsonNode body, boolean needsReason, int max) {
        for (java.util.Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!Set.of("ids", "filter", "reason").contains(f)) {
                throw ApiException.badRequest("unknown field '" + Query.cut(f) + "'; the body takes ids or filter"
                        + (needsReason ? ", and reason" : ""));
            }
        }
        String reason = null;
        if (needsReason) {
            JsonNode r = body.get("reason");
            if (r == null || !r.isTextual() || r.asText().isBlank()) {
                throw ApiException.badRequest("reason (text) is required: it is kept with each dead letter discarded");
            }
            reason = r.asText().strip();
        } else if (body.has("reason")) {
            throw ApiException.badRequest("unknown field 'reason': a replay takes ids or filter");
        }
        JsonNode ids = body.get("ids");
        JsonNode filter = body.get("filter");
        if ((ids == null) == (filter == null)) {
            throw ApiException.badRequest("give either ids (a list of dead-letter ids) or filter (sync, key, stage, error)");
        }
        if (ids != null) {
            if (!ids.isArray() || ids.isEmpty() || ids.size() > max) {
                throw ApiException.badRequest("ids must be a list of 1 to " + max + " dead-letter ids");
            }
            List<Long> out = new ArrayList<>();
            for (JsonNode id : ids) {
                if (!id.canConvertToLong() || !id.isIntegralNumber() || id.asLong() < 1) {
                    throw ApiException.badRequest("ids must be positive whole numbers, not " + Query.cut(id.toString()));
                }
                out.add(id.asLong());
            }
            List<Long> distinct = List.copyOf(new java.util.LinkedHashSet<>(out));
            return new Selection(distinct, reason, "ids " + distinct, distinct.size());
        }
        if (!filter.isObject()) {
            throw ApiException.badRequest("filter must be an object with sync, key, stage or error");
        }
        Map<String, String> f = new LinkedHashMap<>();
        for (java.util.Iterator<Map.Entry<String, JsonNode>> it = filter.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!Set.of("sync", "key", "stage", "error").contains(e.getKey())) {
                throw ApiException.badRequest("unknown filter field '" + Query.cut(e.getKey()) + "'; filter takes sync, key, stage, error");
            }
            if (!e.getValue().isTextual() || e.getValue().asText().isBlank()) {
                throw ApiException.badRequest("filter." + e.getKey() + " must be non-empty text");
            }
            f.put(e.getKey(), e.getValue().asText().strip());
        }
        if (f.get("sync") == null) {
            throw ApiException.badRequest("filter.sync is required: a replay or discard by filter acts on one sync");
        }
        String stage = f.get("stage");
        if (stage != null && !STAGES.contains(stage)) {
            throw ApiException.badRequest("filter.stage '" + Query.cut(stage) + "' is not one of: " + String.join(", ", STAGES));
        }
        DeadLetterFilter df = filter(f.get("sync"), f.get("key"), stage, f.get("error"), "open");
        List<Long> matching = state.deadLetters().page(df, null, max).stream().map(DeadLetter::id).toList();
        return new Selection(matching, reason, "filter " + f, state.deadLetters().count(df));
    }

    private static Map<String, Object> batch(Selection s, List<DeadLetterActions.Result> results) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("matched", s.matched());
        m.put("tried", results.size());
        m.put("done", results.stream().filter(DeadLetterActions.Result::done).count());
        m.put("more", s.matched() > results.size());
        List<Object> items = new ArrayList<>();
        for (DeadLetterActions.Result r : results) {
            items.add(ApiJson.result(r));
        }
        m.put("results", items);
        return m;
    }

    // ---- records and state

    private Object record(RoutingContext ctx) {
        Query q = new Query(ctx, Set.of("limit"));
        String sync = knownSync(ctx);
        String key = ctx.pathParam("key");
        int limit = q.limit();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sync", sync);
        m.put("key", key);
        io.ferry.state.SyncedKeyRepository.Marked synced = state.syncedKeys(sync).lookup(key);
        if (synced == null) {
            m.put("synced", false);
        } else {
            m.put("synced", true);
            m.put("syncedAt", ApiJson.time(synced.syncedAt()));
            m.put("runId", synced.runId());
            m.put("contentHash", synced.key().contentHash());
            m.put("targetRef", synced.key().targetRef());
        }
        List<Object> dls = new ArrayList<>();
        state.deadLetters().ofKey(sync, key, limit).forEach(d -> dls.add(ApiJson.deadLetter(d)));
        m.put("deadLetters", dls);
        // the log keeps bodies, not keys: a call carried the key when its request or answer contains it
        List<Object> calls = new ArrayList<>();
        List<StoredCall> found = apiCalls.page(new CallFilter(sync, null, key), null, limit + 1);
        found.stream().limit(limit).forEach(c -> calls.add(ApiJson.call(c)));
        m.put("apiCalls", calls);
        m.put("moreApiCalls", found.size() > limit);
        return m;
    }

    private Object stateOf(RoutingContext ctx) {
        new Query(ctx, Set.of());
        String sync = knownSync(ctx);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sync", sync);
        SyncSettings settings = syncs.syncs().get(sync);
        m.put("positionKind", settings == null ? null : SyncPosition.of(settings).json());
        m.put("position", state.offsets().find(sync));
        m.put("scanPage", state.scanPositions().find(sync));
        m.put("syncedKeys", state.syncedKeys(sync).count());
        m.put("openDeadLetters", state.deadLetters().countOpen(sync));
        var running = state.stateEdits().running(sync);
        m.put("runningRunId", running == null ? null : running.id());
        List<Object> edits = new ArrayList<>();
        for (var e : state.stateEdits().recent(sync, 5)) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("id", e.id());
            i.put("at", ApiJson.time(e.at()));
            i.put("actor", e.actor());
            i.put("action", e.action());
            i.put("before", e.before());
            i.put("after", e.after());
            edits.add(i);
        }
        m.put("lastEdits", edits);
        return m;
    }

    private Done setPosition(RoutingContext ctx, Principal who) {
        new Query(ctx, Set.of());
        String sync = syncOfThisProcess(ctx);
        JsonNode body = body(ctx);
        JsonNode p = body.get("position");
        if (body.size() != 1 || p == null || !p.isTextual()) {
            throw ApiException.badRequest("the body is {\"position\": \"…\"}: an offset value, or an ISO-8601 time with its offset");
        }
        SyncSettings settings = syncs.syncs().get(sync);
        SyncPosition kind = SyncPosition.of(settings);
        String value;
        try {
            value = kind.parse(settings, p.asText(), Instant.now());
        } catch (io.ferry.kernel.ConfigurationException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Outcome o = state.stateEdits().setPosition(sync, value, "set-position", actor(who), false);
        return edited(sync, o);
    }

    private Done reset(RoutingContext ctx, Principal who) {
        new Query(ctx, Set.of());
        String sync = syncOfThisProcess(ctx);
        JsonNode body = ctx.body().buffer() == null || ctx.body().buffer().length() == 0 ? JSON.createObjectNode() : body(ctx);
        JsonNode keys = body.get("keys");
        if (body.size() > (keys == null ? 0 : 1)) {
            throw ApiException.badRequest("the body is empty (forget every key and the position) or {\"keys\": [\"…\"]}");
        }
        Outcome o;
        if (keys == null) {
            o = state.stateEdits().reset(sync, actor(who), false);
        } else {
            if (!keys.isArray() || keys.isEmpty() || keys.size() > MAX_BATCH) {
                throw ApiException.badRequest("keys must be a list of 1 to " + MAX_BATCH + " keys");
            }
            List<String> list = new ArrayList<>();
            for (JsonNode k : keys) {
                if (!k.isTextual() || k.asText().isEmpty()) {
                    throw ApiException.badRequest("keys must be non-empty text, not " + Query.cut(k.toString()));
                }
                list.add(k.asText());
            }
            try {
                o = state.stateEdits().forgetKeys(sync, list, actor(who), false);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage() + "; nothing changed");
            }
        }
        return edited(sync, o);
    }

    private static String actor(Principal who) {
        return who.name() + " (api " + who.kind().id() + ")";
    }

    private static Done edited(String sync, Outcome o) {
        if (o.refused()) {
            throw ApiException.conflict(sync + " is running (run " + o.refusedBy().id() + " on " + o.refusedBy().node()
                    + ", started " + o.refusedBy().startedAt() + "): its state is not edited while it runs; nothing changed");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sync", sync);
        m.put("edit", o.recorded().id());
        m.put("action", o.recorded().action());
        m.put("before", o.before());
        m.put("after", o.after());
        return new Done(200, m, sync, "edit " + o.recorded().id() + ": " + o.recorded().action());
    }

    // ---- audit

    private Object auditPage(RoutingContext ctx) {
        Query q = new Query(ctx, Set.of("limit", "after"));
        int limit = q.limit();
        List<AuditEntry> rows = audit.page(q.id("after"), limit + 1);
        List<Object> items = new ArrayList<>();
        for (AuditEntry e : rows.subList(0, Math.min(limit, rows.size()))) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("id", e.id());
            i.put("at", ApiJson.time(e.at()));
            i.put("actor", e.actor());
            i.put("actorKind", e.actorKind());
            i.put("role", e.role());
            i.put("action", e.action());
            i.put("target", e.target());
            i.put("client", e.client());
            i.put("result", e.result());
            i.put("detail", e.detail());
            items.add(i);
        }
        boolean more = rows.size() > limit;
        return ApiJson.page(items, limit, more, more ? String.valueOf(rows.get(limit - 1).id()) : null, audit.count());
    }

    // ---- JSON

    private void openApi(RoutingContext ctx) {
        try (InputStream in = ApiRouter.class.getClassLoader().getResourceAsStream(OPENAPI)) {
            ctx.response().putHeader("content-type", "application/yaml; charset=utf-8")
                    .end(io.vertx.core.buffer.Buffer.buffer(in.readAllBytes()));
        } catch (IOException | NullPointerException e) {
            error(ctx, 500, "the OpenAPI file is missing from the jar");
        }
    }

    private static JsonNode body(RoutingContext ctx) {
        String type = ctx.request().getHeader("content-type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw ApiException.badRequest("the body must be JSON (Content-Type: application/json)");
        }
        try {
            JsonNode n = JSON.readTree(ctx.body().asString());
            if (n == null || !n.isObject()) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("the body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static void json(RoutingContext ctx, int status, Object body) {
        try {
            ctx.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
                    .end(JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            ctx.fail(e);
        }
    }

    static void error(RoutingContext ctx, int status, String message) {
        if (ctx.response().ended()) {
            return;
        }
        json(ctx, status, Map.of("error", message, "status", status));
    }

    /** Which method a route answers, for the contract test: every route of {@link #router} with its path. */
    static List<String> routes(Router r) {
        List<String> out = new ArrayList<>();
        for (Route route : r.getRoutes()) {
            if (route.getPath() != null && route.methods() != null) {
                for (HttpMethod m : route.methods()) {
                    out.add(m.name() + " " + route.getPath());
                }
            }
        }
        return out;
    }
}
