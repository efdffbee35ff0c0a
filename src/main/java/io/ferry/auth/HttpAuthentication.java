package io.ferry.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.RoutingContext;

/**
 * Vert.x Web handler that lets a request on only with a user's password ({@code Authorization: Basic}), an API token
 * ({@code Authorization: Bearer}) or, without either, a console login ({@link BrowserSessions}, whose CSRF token every
 * state-changing call must carry), and puts its {@link Principal} in the routing context ({@link #PRINCIPAL}).
 * Without credentials: 401; wrong ones: 401, each counted by {@link LoginThrottle} for the client address and the
 * name given; while the throttle holds the client back: 429 with Retry-After, the password not even checked. The
 * answers are JSON {@code {"error": …}}; they never repeat what was sent.
 */
public final class HttpAuthentication implements Handler<RoutingContext> {

    public static final String PRINCIPAL = "ferry.principal";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHALLENGE = "Basic realm=\"ferry\", Bearer realm=\"ferry\"";

    private final Accounts accounts;
    private final LoginThrottle throttle;
    private final BrowserSessions sessions;
    private WorkerExecutor logins;

    /** @param sessions the console's logins, or null when only Basic and Bearer are taken */
    public HttpAuthentication(Accounts accounts, LoginThrottle throttle, BrowserSessions sessions) {
        this.accounts = accounts;
        this.throttle = throttle;
        this.sessions = sessions;
    }

    /** The console's logins (their session and CSRF handlers go before this one), or null. */
    public BrowserSessions sessions() {
        return sessions;
    }

    /** What came of a console login. */
    public record Login(Principal principal, long retryAfterSeconds) {
    }

    /** Told of every console login and logout, and of every login refused (console or Basic), for the audit. */
    @FunctionalInterface
    public interface LoginListener {
        /**
         * @param user the name given (null for a token), or the principal's
         * @param principal who logged in or out, or null when refused
         * @param action login, logout or login-refused
         */
        void event(String action, String user, Principal principal, String client, String detail);
    }

    private volatile LoginListener listener = (a, u, p, c, d) -> {
    };

    public void onLogin(LoginListener l) {
        this.listener = l;
    }

    /** Tells the listener of a logout (the console's). */
    public void loggedOut(RoutingContext ctx, Principal who) {
        tell("logout", who.name(), who, client(ctx), null);
    }

    private void tell(String action, String user, Principal p, String client, String detail) {
        // a name that is no user's is not repeated: it may be a password typed in the wrong field
        String shown = user == null || accounts.session(user) != null ? user : "(a name that is no user's)";
        try {
            listener.event(action, shown, p, client, detail);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(HttpAuthentication.class).warn("could not record a {}: {}", action, e.getMessage());
        }
    }

    /**
     * Checks a console login, throttled like Basic credentials and counted with them; {@code done} gets the principal,
     * or none and how long to wait when the client or the account is held back.
     */
    public void logIn(RoutingContext ctx, String user, String password, Handler<Login> done) {
        String client = client(ctx);
        Duration wait = throttle.admit(client, "user:" + user);
        if (!wait.isZero()) {
            tell("login-refused", user, null, client, "console: held back, too many failed logins");
            done.handle(new Login(null, Math.max(1, (wait.toMillis() + 999) / 1000)));
            return;
        }
        logins(ctx).executeBlocking(() -> accounts.verify(user, password), false).onComplete(r -> {
            Principal p = r.succeeded() ? r.result() : null;
            if (p != null) {
                throttle.succeeded(client, "user:" + user);
                tell("login", p.name(), accounts.session(p.name()), client, "console");
            } else {
                tell("login-refused", user, null, client, "console: wrong user name or password");
            }
            done.handle(new Login(p, 0));
        });
    }

    /** The console login's principal as configured now, or null. */
    public Principal sessionPrincipal(RoutingContext ctx) {
        return accounts.session(BrowserSessions.user(ctx));
    }

    /** Whether anyone can log in at all. */
    public boolean hasUsers() {
        return !accounts.isEmpty();
    }

    private static String client(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    }

    public static Principal principal(RoutingContext ctx) {
        return ctx.get(PRINCIPAL);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        String client = client(ctx);
        if ((header == null || header.isBlank()) && sessions != null) {
            Principal p = accounts.session(BrowserSessions.user(ctx));
            if (p != null) {
                ctx.put(PRINCIPAL, p);
                String method = ctx.request().method().name();
                if (!method.equals("GET") && !method.equals("HEAD") && ctx.request().getHeader(BrowserSessions.CSRF_HEADER) == null) {
                    // only the console's script sends the header; a form (which could carry the token as a field) does not
                    refuse(ctx, 403, "the console's form token (" + BrowserSessions.CSRF_HEADER + ") is missing: reload the page");
                    return;
                }
                // it calls next() when the token is right (or not needed, on reads), and fails with 403 otherwise
                sessions.csrf().handle(ctx);
                return;
            }
        }
        if (header == null || header.isBlank()) {
            refuse(ctx, 401, "authentication required: Authorization: Basic (a user of ferry.users.*) or Bearer (a token of "
                    + "ferry.api.tokens.*)");
            return;
        }
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        String value = space < 0 ? "" : header.substring(space + 1).strip();
        if (scheme.equalsIgnoreCase("Bearer")) {
            Principal token = accounts.token(value);
            if (token != null) {
                throttle.succeeded(client, "token");
                ctx.put(PRINCIPAL, token);
                ctx.next();
            } else if (admitted(ctx, client, "token")) {
                tell("login-refused", null, null, client, "api: a token that is not one of ferry.api.tokens.*");
                refuse(ctx, 401, "the token is not one of ferry.api.tokens.*");
            }
            return;
        }
        if (!scheme.equalsIgnoreCase("Basic")) {
            // not repeated: a token sent without its scheme would be echoed
            refuse(ctx, 401, "unknown authentication scheme: use Basic or Bearer");
            return;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            refuse(ctx, 401, "the Basic credentials are not Base64");
            return;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            refuse(ctx, 401, "the Basic credentials are not user:password");
            return;
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        Principal cached = accounts.cached(user, password);
        if (cached != null) {
            ctx.put(PRINCIPAL, cached);
            ctx.next();
            return;
        }
        if (!admitted(ctx, client, "user:" + user)) {
            return;
        }
        // bcrypt takes a good part of a second: neither on the event loop nor on the threads health answers on
        logins(ctx).executeBlocking(() -> accounts.verify(user, password), false).onComplete(done -> {
            Principal p = done.succeeded() ? done.result() : null;
            if (p == null) {
                tell("login-refused", user, null, client, "api: wrong user name or password");
                refuse(ctx, 401, "wrong user name or password");
                return;
            }
            throttle.succeeded(client, "user:" + user);
            ctx.put(PRINCIPAL, p);
            ctx.next();
        });
    }

    private synchronized WorkerExecutor logins(RoutingContext ctx) {
        if (logins == null) {
            logins = ctx.vertx().createSharedWorkerExecutor("ferry-login", 2);
        }
        return logins;
    }

    /**
     * Whether a 401 asks for Basic credentials: not to a page's script (Sec-Fetch-Mode other than navigate) or a
     * console login that ended, lest the browser ask for a password and then send it with every request to this
     * server, other sites' forms included.
     */
    private static boolean challenges(RoutingContext ctx) {
        String mode = ctx.request().getHeader("Sec-Fetch-Mode");
        return (mode == null || mode.equals("navigate")) && ctx.request().getCookie(BrowserSessions.COOKIE) == null;
    }

    /** Counts an attempt; false, and 429 answered, while the client or the account has to wait. */
    private boolean admitted(RoutingContext ctx, String client, String account) {
        Duration wait = throttle.admit(client, account);
        if (wait.isZero()) {
            return true;
        }
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        ctx.response().putHeader("Retry-After", String.valueOf(seconds));
        refuse(ctx, 429, "too many failed logins: try again in " + seconds + " s");
        return false;
    }

    private static void refuse(RoutingContext ctx, int status, String message) {
        if (status == 401 && challenges(ctx)) {
            ctx.response().putHeader("WWW-Authenticate", CHALLENGE);
        }
        try {
            ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                    .end(JSON.writeValueAsString(Map.of("error", message)));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }
}
