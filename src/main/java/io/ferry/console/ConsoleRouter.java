package io.ferry.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.auth.BrowserSessions;
import io.ferry.auth.HttpAuthentication;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web console, {@code /console/} on the management server: a login form, and pages (static files from
 * {@code console/} in the jar) that show and do everything through the REST API at {@code /api/v1}, with the login's
 * session and CSRF token. The pages build every text into the page as text, never as markup (see console.js). The
 * login is a user of {@code ferry.users.*}; failed logins are throttled with the API's.
 */
public final class ConsoleRouter {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleRouter.class);
    static final long MAX_FORM = 8 * 1024;
    /** scripts and styles from this origin only, no inline script, no frames, forms post only here */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private ConsoleRouter() {
    }

    /** Mounts the console at {@code /console} on the management server (before it starts). */
    public static void mountOn(io.ferry.observe.ManagementServer management) {
        management.mount("/console", ConsoleRouter::router);
    }

    static Router router(Vertx vertx, HttpAuthentication authentication) {
        BrowserSessions sessions = authentication.sessions();
        Router r = Router.router(vertx);
        r.route().handler(ConsoleRouter::headers);
        // the style sheet and scripts need no login, and keep no session
        StaticHandler assets = StaticHandler.create("console/assets").setCachingEnabled(false).setDirectoryListing(false)
                .setIncludeHidden(false).setDefaultContentEncoding("UTF-8");
        r.get("/assets/*").handler(assets);
        // the login form: its CSRF token is signed and kept in its cookie and field only; a session is made at a login
        BodyHandler forms = BodyHandler.create(false).setBodyLimit(MAX_FORM);
        r.get("/login").handler(sessions.csrf()).handler(ctx -> file(ctx, "console/login.html"));
        r.post("/login").handler(forms).handler(sessions.csrf());
        // a route of its own: Vert.x puts a session handler before a CSRF handler within one route
        r.post("/login").handler(sessions.sessions()).handler(ctx -> logIn(ctx, authentication));
        // everything else is a login's
        r.route().handler(forms);
        r.route().handler(sessions.sessions());
        r.route().handler(ctx -> {
            if (BrowserSessions.user(ctx) != null) {
                ctx.next();
            } else {
                redirect(ctx, "/console/login");
            }
        });
        // the logout form carries the token as the field X-XSRF-TOKEN
        r.route().handler(sessions.csrf());
        r.post("/logout").handler(ctx -> {
            io.ferry.auth.Principal who = authentication.sessionPrincipal(ctx);
            if (who != null) {
                authentication.loggedOut(ctx, who);
            }
            BrowserSessions.logOut(ctx);
            redirect(ctx, "/console/login");
        });
        r.get("/").handler(ctx -> file(ctx, "console/index.html"));
        r.route().handler(ctx -> text(ctx, 404, "no such page: the console is at /console/"));
        r.errorHandler(403, ctx -> text(ctx, 403, "the form is stale (its token is missing or expired): reload the page and try again"));
        r.errorHandler(413, ctx -> text(ctx, 413, "the form is larger than " + MAX_FORM + " bytes"));
        r.errorHandler(400, ctx -> text(ctx, 400, "bad request"));
        r.errorHandler(500, ctx -> {
            LOG.error("console {} {} failed", ctx.request().method(), ctx.normalizedPath(), ctx.failure());
            text(ctx, 500, "internal error (logged)");
        });
        return r;
    }

    private static void logIn(RoutingContext ctx, HttpAuthentication authentication) {
        String user = ctx.request().getFormAttribute("username");
        String password = ctx.request().getFormAttribute("password");
        if (user == null || user.isBlank() || password == null || password.isEmpty()) {
            redirect(ctx, "/console/login?error=missing");
            return;
        }
        if (!authentication.hasUsers()) {
            redirect(ctx, "/console/login?error=no-users");
            return;
        }
        authentication.logIn(ctx, user.strip(), password, login -> {
            if (login.principal() != null) {
                BrowserSessions.logIn(ctx, login.principal().name());
                LOG.info("console: {} logged in ({})", login.principal().name(), login.principal().role().id());
                redirect(ctx, "/console/");
            } else if (login.retryAfterSeconds() > 0) {
                ctx.response().putHeader("Retry-After", String.valueOf(login.retryAfterSeconds()));
                redirect(ctx, "/console/login?error=throttled&wait=" + login.retryAfterSeconds());
            } else {
                // not the name typed: it may be a password typed in the wrong field
                LOG.warn("console: failed login from {}",
                        ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress());
                redirect(ctx, "/console/login?error=wrong");
            }
        });
    }

    private static void headers(RoutingContext ctx) {
        ctx.response().putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer").putHeader("Cache-Control", "no-store")
                .putHeader("X-Frame-Options", "DENY");
        ctx.next();
    }

    private static void file(RoutingContext ctx, String resource) {
        ctx.response().putHeader("content-type", "text/html; charset=utf-8").sendFile(resource);
    }

    private static void redirect(RoutingContext ctx, String location) {
        ctx.response().setStatusCode(303).putHeader("Location", location).end();
    }

    private static void text(RoutingContext ctx, int status, String message) {
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(status).putHeader("content-type", "text/plain; charset=utf-8").end(message + "\n");
        }
    }
}
