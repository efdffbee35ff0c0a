package io.ferry.auth;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ferry.kernel.ConfigurationException;

/**
 * The users and API tokens, from properties, kept only as hashes:
 * <ul>
 * <li>{@code ferry.users.<name>.password-hash} (bcrypt, from {@code ferry hash-password}) and {@code .role};</li>
 * <li>{@code ferry.api.tokens.<name>.hash} (SHA-256 in hex, from {@code ferry new-token}) and {@code .role}.</li>
 * </ul>
 * A plain {@code ferry.users.<name>.password} is refused. bcrypt takes more than a tenth of a second by design, too long for
 * every request of a script using basic authentication: a user and the SHA-256 of the password it was verified with
 * are kept for {@code cacheFor}, and a request that brings the same pair is let in without bcrypt.
 */
public final class Accounts {

    public static final String USERS = "ferry.users.";
    public static final String TOKENS = "ferry.api.tokens.";
    private static final Pattern USER_KEY = Pattern.compile(Pattern.quote(USERS) + "([A-Za-z0-9_.@-]+?)\\.(password-hash|role|password)");
    private static final Pattern TOKEN_KEY = Pattern.compile(Pattern.quote(TOKENS) + "([A-Za-z0-9_.@-]+?)\\.(hash|role)");

    private record User(String name, String bcrypt, Role role) {
    }

    private record Token(String name, byte[] sha256, Role role) {
    }

    private record Verified(byte[] passwordSha256, long untilNanos) {
    }

    private final Map<String, User> users;
    private final List<Token> tokens;
    private final long cacheNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private Accounts(Map<String, User> users, List<Token> tokens, Duration cacheFor, LongSupplier nanoClock) {
        this.users = users;
        this.tokens = tokens;
        this.cacheNanos = cacheFor.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Reads the users and tokens from these properties (other keys are ignored).
     *
     * @throws ConfigurationException naming every property that is wrong: a plain password, a hash that is not bcrypt
     *                                or not SHA-256, a missing or unknown role
     */
    public static Accounts from(Map<String, String> properties, Duration cacheFor) {
        return from(properties, cacheFor, System::nanoTime);
    }

    static Accounts from(Map<String, String> properties, Duration cacheFor, LongSupplier nanoClock) {
        Map<String, Map<String, String>> userProps = new TreeMap<>();
        Map<String, Map<String, String>> tokenProps = new TreeMap<>();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            Matcher u = USER_KEY.matcher(e.getKey());
            if (u.matches()) {
                userProps.computeIfAbsent(u.group(1), k -> new LinkedHashMap<>()).put(u.group(2), e.getValue().strip());
            }
            Matcher t = TOKEN_KEY.matcher(e.getKey());
            if (t.matches()) {
                tokenProps.computeIfAbsent(t.group(1), k -> new LinkedHashMap<>()).put(t.group(2), e.getValue().strip());
            }
        }
        List<String> problems = new ArrayList<>();
        Map<String, User> users = new LinkedHashMap<>();
        userProps.forEach((name, p) -> {
            String prefix = USERS + name;
            if (p.containsKey("password")) {
                problems.add(prefix + ".password is a plain password, which Ferry does not keep: put its bcrypt hash in "
                        + prefix + ".password-hash (`ferry hash-password` prints it) and remove " + prefix + ".password");
                return;
            }
            String hash = p.getOrDefault("password-hash", "");
            if (!Secrets.looksLikeBcrypt(hash)) {
                problems.add(prefix + ".password-hash " + (hash.isEmpty() ? "is not set" : "is not a bcrypt hash")
                        + " (`ferry hash-password` prints one)");
            }
            Role role = role(prefix, p.get("role"), problems);
            if (role != null && Secrets.looksLikeBcrypt(hash)) {
                users.put(name, new User(name, hash, role));
            }
        });
        List<Token> tokens = new ArrayList<>();
        tokenProps.forEach((name, p) -> {
            String prefix = TOKENS + name;
            String hash = p.getOrDefault("hash", "").toLowerCase(java.util.Locale.ROOT);
            boolean ok = hash.matches("[0-9a-f]{64}");
            if (!ok) {
                problems.add(prefix + ".hash " + (hash.isEmpty() ? "is not set" : "is not a SHA-256 hash in hex")
                        + " (`ferry new-token` prints a token and its hash)");
            }
            Role role = role(prefix, p.get("role"), problems);
            if (ok && role != null) {
                tokens.add(new Token(name, java.util.HexFormat.of().parseHex(hash), role));
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("; ", problems));
        }
        return new Accounts(Map.copyOf(users), List.copyOf(tokens), cacheFor, nanoClock);
    }

    private static Role role(String prefix, String value, List<String> problems) {
        if (value == null || value.isBlank()) {
            problems.add(prefix + ".role is not set (viewer, operator or admin)");
            return null;
        }
        try {
            return Role.parse(value);
        } catch (IllegalArgumentException e) {
            problems.add(prefix + ".role: " + e.getMessage());
            return null;
        }
    }

    /** No user and no token is configured. */
    public boolean isEmpty() {
        return users.isEmpty() && tokens.isEmpty();
    }

    /** A user verified in the last {@code cacheFor} with this very password, or null: no bcrypt needed. */
    public Principal cached(String user, String password) {
        Verified v = verified.get(user);
        User u = users.get(user);
        if (v == null || u == null || nanoClock.getAsLong() - v.untilNanos() > 0) {
            return null;
        }
        return MessageDigest.isEqual(v.passwordSha256(), sha256(password)) ? principal(u) : null;
    }

    /** Checks a user's password with bcrypt (slow); null when the user is unknown or the password wrong. */
    public Principal verify(String user, String password) {
        User u = users.get(user);
        if (u == null) {
            // as long as for a known user, so that the answer's time does not tell which names exist
            Secrets.bcryptMatches(password, DUMMY_HASH);
            return null;
        }
        if (!Secrets.bcryptMatches(password, u.bcrypt())) {
            // what was verified before stays: a wrong guess must not cost the user its cached login
            return null;
        }
        verified.put(user, new Verified(sha256(password), nanoClock.getAsLong() + cacheNanos));
        return principal(u);
    }

    /** A user's principal as configured now (a browser session's user, whose role may have changed), or null when it is gone. */
    public Principal session(String user) {
        User u = user == null ? null : users.get(user);
        return u == null ? null : new Principal(u.name(), Principal.Kind.SESSION, u.role());
    }

    /** The token's principal, or null; compared by hash in constant time over every token. */
    public Principal token(String token) {
        byte[] h = sha256(token);
        Token found = null;
        for (Token t : tokens) {
            if (MessageDigest.isEqual(t.sha256(), h)) {
                found = t;
            }
        }
        return found == null ? null : new Principal(found.name(), Principal.Kind.TOKEN, found.role());
    }

    private static Principal principal(User u) {
        return new Principal(u.name(), Principal.Kind.USER, u.role());
    }

    private static byte[] sha256(String s) {
        return java.util.HexFormat.of().parseHex(Secrets.sha256Hex(s == null ? "" : s));
    }

    private static final String DUMMY_HASH = Secrets.bcrypt("no such user " + System.nanoTime());
}
