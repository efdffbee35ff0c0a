package io.ferry.auth;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down password guessing at a login (the console's, the API's basic and bearer authentication). Every attempt
 * that reaches the password check counts as a failure until it succeeds, for its client address and for the account
 * it names:
 * <ul>
 * <li>after the k-th failure the next attempt waits {@code firstDelay·2^(k-1)}, at most {@code maxDelay};</li>
 * <li>a client address with {@code maxFailures} failures, each within {@code lockout} of the one before, is locked
 * out for {@code lockout};</li>
 * <li>the account is never locked (a guesser could lock the operator out), but its own delay holds every client
 * together to one guess per {@code maxDelay};</li>
 * <li>a successful login forgets the client's and the account's failures.</li>
 * </ul>
 * Counting before the check, not after, keeps parallel requests from slipping in together. The client table holds
 * at most {@value #MAX_CLIENTS} addresses and as many accounts; an address is forgotten once {@code lockout} has
 * passed since its last failure (and any lock ended), an account when the table is full, least recently failed first.
 */
public final class LoginThrottle {

    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);
    static final int MAX_CLIENTS = 10_000;
    /** The account of a login that has only one (the console's). */
    private static final String THE_ACCOUNT = "";

    /** How many failures lock a client out, for how long; the first delay and its ceiling. */
    public record Settings(int maxFailures, Duration lockout, Duration firstDelay, Duration maxDelay) {
        public Settings {
            if (maxFailures < 1 || lockout.isNegative() || firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
                throw new IllegalArgumentException("console login throttle: max-failures >= 1, delays >= 0 and "
                        + "max-delay >= delay are required, not " + maxFailures + " / " + firstDelay + " / " + maxDelay);
            }
        }
    }

    /** Failures of one client address or of the account. */
    private static final class Failures {
        int count;
        long lastNanos;
        long nextAllowedNanos;
        long lockedUntilNanos;
    }

    private final Settings settings;
    private final LongSupplier nanoClock;
    /** access order, as the clients: a name never seen before must not push a real account's failures out first */
    private final LinkedHashMap<String, Failures> accounts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_CLIENTS;
        }
    };
    /** access order: the eldest entry is the address heard from least recently */
    private final LinkedHashMap<String, Failures> clients = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    public LoginThrottle(Settings settings) {
        this(settings, System::nanoTime);
    }

    LoginThrottle(Settings settings, LongSupplier nanoClock) {
        this.settings = settings;
        this.nanoClock = nanoClock;
    }

    /**
     * Asks whether an attempt from {@code client} may go to the password check now. When it may, it is counted as
     * a failure (see {@link #succeeded}) and the answer is {@link Duration#ZERO}; otherwise the answer is how long
     * the client has to wait.
     */
    public Duration admit(String client) {
        return admit(client, THE_ACCOUNT);
    }

    /** As {@link #admit(String)}, for a login with several accounts: {@code account} is the name the attempt gives. */
    public synchronized Duration admit(String client, String account) {
        long now = nanoClock.getAsLong();
        forgetExpired(now);
        Failures c = clients.get(client);
        Failures accountFailures = accounts.computeIfAbsent(account, a -> new Failures());
        long wait = Math.max(waitNanos(accountFailures, now), c == null ? 0 : waitNanos(c, now));
        if (wait > 0) {
            return Duration.ofNanos(wait);
        }
        if (c == null) {
            c = new Failures();
            clients.put(client, c);
        }
        fail(accountFailures, now, false);
        if (fail(c, now, true)) {
            LOG.warn("logins from {} are locked for {} s after {} failed attempts", client,
                    settings.lockout().toSeconds(), settings.maxFailures());
        }
        return Duration.ZERO;
    }

    /** The password was right: the client and the account start again from no failures. */
    public void succeeded(String client) {
        succeeded(client, THE_ACCOUNT);
    }

    /** The password of {@code account} was right. */
    public synchronized void succeeded(String client, String account) {
        clients.remove(client);
        accounts.remove(account);
    }

    /** Client addresses remembered now. */
    synchronized int clients() {
        forgetExpired(nanoClock.getAsLong());
        return clients.size();
    }

    private static long waitNanos(Failures f, long now) {
        return Math.max(0, Math.max(f.lockedUntilNanos - now, f.nextAllowedNanos - now));
    }

    /** @return whether this failure locked the client out */
    private boolean fail(Failures f, long now, boolean lockable) {
        if (f.count > 0 && now - f.lastNanos > settings.lockout().toNanos()) {
            f.count = 0;
        }
        f.count++;
        f.lastNanos = now;
        f.nextAllowedNanos = now + delayNanos(f.count);
        if (lockable && f.count >= settings.maxFailures()) {
            f.lockedUntilNanos = now + settings.lockout().toNanos();
            f.count = 0;
            return true;
        }
        return false;
    }

    private long delayNanos(int failures) {
        long max = settings.maxDelay().toNanos();
        long d = settings.firstDelay().toNanos();
        for (int i = 1; i < failures && d > 0 && d < max; i++) {
            d *= 2;
        }
        return Math.min(d, max);
    }

    /** Drops addresses, least recently heard from first, whose failures are forgotten and whose lock has ended. */
    private void forgetExpired(long now) {
        long window = settings.lockout().toNanos();
        for (Iterator<Failures> it = clients.values().iterator(); it.hasNext();) {
            Failures f = it.next();
            if (now - f.lastNanos <= window || now < f.lockedUntilNanos || now < f.nextAllowedNanos) {
                return;
            }
            it.remove();
        }
    }
}
