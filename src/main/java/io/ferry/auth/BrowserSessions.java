package io.ferry.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.CSRFHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.sstore.LocalSessionStore;

/**
 * The console's logins: Vert.x Web's sessions (in this process's memory, a random id in an HttpOnly, SameSite=Strict
 * cookie, an idle timeout) and its CSRF handler (a signed token in the {@code XSRF-TOKEN} cookie, which every form and
 * every state-changing call from the browser sends back as {@code X-XSRF-TOKEN}). A session holds only its user's
 * name: the role is looked up on every request, so that a user removed or demoted loses it at once.
 */
public final class BrowserSessions {

    public static final String COOKIE = "ferry_session";
    public static final String CSRF_COOKIE = "XSRF-TOKEN";
    public static final String CSRF_HEADER = "X-XSRF-TOKEN";
    private static final String USER = "ferry.user";

    /** a token lives longer than a login, so that it never expires under an open page; it is bound to its session */
    private static final java.time.Duration TOKEN_LIFE = java.time.Duration.ofHours(24);
    private final SessionHandler sessions;
    private final CSRFHandler csrf;

    public BrowserSessions(Vertx vertx, Duration idle, boolean secureCookies) {
        this.sessions = SessionHandler.create(LocalSessionStore.create(vertx, "ferry-console-sessions"))
                .setSessionCookieName(COOKIE).setSessionCookiePath("/").setCookieHttpOnlyFlag(true)
                .setCookieSameSite(CookieSameSite.STRICT).setCookieSecureFlag(secureCookies)
                .setSessionTimeout(idle.toMillis()).setLazySession(true).setMinLength(32);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.csrf = CSRFHandler.create(vertx, HexFormat.of().formatHex(secret)).setCookieName(CSRF_COOKIE)
                .setHeaderName(CSRF_HEADER).setCookiePath("/").setCookieSecure(secureCookies).setTimeout(TOKEN_LIFE.toMillis());
    }

    /** Finds the request's session (none is made for a request that has no cookie and logs no one in). */
    public Handler<RoutingContext> sessions() {
        return sessions;
    }

    /**
     * Issues the CSRF token on reads and checks it on every POST, PUT, PATCH and DELETE. Mounted after the session
     * handler, the token is bound to the session; mounted where none runs before it (the login form), it is a signed
     * token in the cookie and the form only, and no session is kept for someone who only asks for the form.
     */
    public Handler<RoutingContext> csrf() {
        return csrf;
    }

    /**
     * The logged-in user's name, or null. A session without a user (a cookie unknown here, or none) is destroyed, so
     * that requests without a login keep nothing in memory.
     */
    public static String user(RoutingContext ctx) {
        if (ctx.request().getCookie(COOKIE) == null) {
            return null;
        }
        Session s = ctx.session();
        if (s == null || s.isDestroyed()) {
            return null;
        }
        String user = s.get(USER);
        if (user == null) {
            s.destroy();
        }
        return user;
    }

    /** Logs {@code user} in: a new session id, so that an id planted before the login is worth nothing after it. */
    public static void logIn(RoutingContext ctx, String user) {
        Session s = ctx.session();
        s.regenerateId();
        s.put(USER, user);
    }

    public static void logOut(RoutingContext ctx) {
        Session s = ctx.session();
        if (s != null) {
            s.destroy();
        }
    }
}
