package io.ferry.observe;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Logged-in console sessions: a random cookie token, a CSRF token for every form, an idle timeout. In memory only. */
final class ConsoleSessions {

    static final String COOKIE = "ferry_session";

    /** One browser's login. {@code flash} is a message shown once on the next page. */
    static final class Session {
        final String csrf;
        volatile long lastSeenNanos = System.nanoTime();
        volatile String flash;

        Session(String csrf) {
            this.csrf = csrf;
        }

        String takeFlash() {
            String f = flash;
            flash = null;
            return f;
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final long idleNanos;

    ConsoleSessions(Duration idle) {
        this.idleNanos = idle.toNanos();
    }

    /** @return the new session's cookie token */
    String create() {
        sessions.values().removeIf(s -> System.nanoTime() - s.lastSeenNanos > idleNanos);
        String token = token();
        sessions.put(token, new Session(token()));
        return token;
    }

    Session find(String cookieHeader) {
        String token = cookie(cookieHeader);
        if (token == null) {
            return null;
        }
        Session s = sessions.get(token);
        if (s == null) {
            return null;
        }
        if (System.nanoTime() - s.lastSeenNanos > idleNanos) {
            sessions.remove(token);
            return null;
        }
        s.lastSeenNanos = System.nanoTime();
        return s;
    }

    void remove(String cookieHeader) {
        String token = cookie(cookieHeader);
        if (token != null) {
            sessions.remove(token);
        }
    }

    private String token() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String cookie(String header) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.strip();
            if (p.startsWith(COOKIE + "=")) {
                return p.substring(COOKIE.length() + 1);
            }
        }
        return null;
    }
}
