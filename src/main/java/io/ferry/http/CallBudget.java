package io.ferry.http;

import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls one app key may make to a vendor, shared by every sync that uses the key ({@link CallBudgets}): at most
 * {@code perSecond} calls in any one second, {@code perMinute} in any one minute, and {@code concurrent} at once.
 * The windows slide, as the vendors count them: a call is allowed when fewer than the limit may be in the vendor's
 * window that ends now, so a burst up to the limit goes at once and never more than the limit falls in any window. A
 * call counts from when it is made until a window after its answer came: the vendor counted it at some moment in
 * between, and counting it from its answer needs no guess of the network's delay. A limit of 0 is off.
 * <p>
 * The budget learns from refusals. The calls counted in each window when the vendor said no tell what it allows:
 * the window the vendor names (or, when it names none, the one whose count was never allowed before) is suspected at
 * that count, and a later refusal at that count or above confirms it: the window is paced at one call fewer from
 * then on (at once when the answer gives the number). An answered call at the suspected count clears the suspicion,
 * and a refusal at a count the vendor allowed before suspects nothing: a vendor's passing refusal (a fault, another
 * client of the key) lowers nothing. Calls at once learn the same way. A refused
 * call is not counted (the vendor did not count it). A lowered limit recovers by one call per ten minutes without a
 * refusal, up to the configured one, so a vendor whose limit is lower than configured costs a few refusals, not one
 * per page.
 * <p>
 * A window the budget has not watched from its start may hold calls it never saw: a new process or a new leader meets
 * the window a dead leader or another tool on the key filled, and having proven nothing yet it would take those
 * refusals for a limit at the few calls it made. So before the budget has made calls for a whole window (from its
 * first call, or its first after a minute without any) a confirming refusal only holds the pace at that count until
 * the window has passed, which waits the unknown calls out; the suspicion stays, and one refusal at that count in a
 * window the budget watched whole confirms it for good, one answered call at it clears it.
 * <p>
 * Why not a library's limiter: Resilience4j's is a fixed window (twice the limit passes at a window's edge), a token
 * bucket (Bucket4j) lets its capacity and its refill through in one window, and Guava's spaces calls evenly, which
 * wastes the burst a per-minute limit allows (Jushuitan's 100 per minute would take 60 s instead of 20 s). Only a
 * log of the calls made is exact in every window the vendor may count.
 */
public final class CallBudget {

    private static final Logger LOG = LoggerFactory.getLogger(CallBudget.class);
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;
    /**
     * A lowered limit rises by one after this long without a refusal: each rise above what the vendor allows costs a
     * refusal, so one every ten minutes at most.
     */
    private static final long RECOVERY = 10 * MINUTE;
    /**
     * After this long without a call of its own the budget knows nothing of the vendor's windows (the longest it
     * counts): its next call starts a new stretch, whose first window may hold another client's calls.
     */
    private static final long QUIET = MINUTE;

    /** Which of the vendor's limits a refusal says was hit; BUSY: none, the vendor asks to try again later. */
    public enum Limit {
        PER_SECOND, PER_MINUTE, CONCURRENT, UNKNOWN, BUSY
    }

    /** Calls per second, per minute and at once; 0 is no limit. */
    public record Limits(int perSecond, int perMinute, int concurrent) {
        public static final Limits NONE = new Limits(0, 0, 0);

        /** Each limit the lower of the two, a limit set on either side kept. */
        public Limits tighter(Limits other) {
            return new Limits(lower(perSecond, other.perSecond), lower(perMinute, other.perMinute),
                    lower(concurrent, other.concurrent));
        }

        private static int lower(int a, int b) {
            return a <= 0 ? Math.max(b, 0) : b <= 0 ? a : Math.min(a, b);
        }

        @Override
        public String toString() {
            return (perSecond > 0 ? perSecond : "any") + "/s, " + (perMinute > 0 ? perMinute : "any") + "/min, "
                    + (concurrent > 0 ? concurrent : "any") + " at once";
        }
    }

    /**
     * One call under way. It ends with {@link #answered()}, {@link #refused} or, when it failed otherwise (it may
     * have reached the vendor: it is counted), {@link #close()}; whatever ends it first, the rest do nothing.
     */
    public final class Permit implements AutoCloseable {
        private final long start;
        private final int inFlight;
        /** the call in the shared ledger, or null when the budget is this process's alone */
        private final CallLedger.Entry shared;
        private boolean ended;

        private Permit(long start, int inFlight, CallLedger.Entry shared) {
            this.start = start;
            this.inFlight = inFlight;
            this.shared = shared;
        }

        /** The vendor answered the call: the calls counted in its windows are known to be allowed. */
        public void answered() {
            synchronized (CallBudget.this) {
                if (ended) {
                    return;
                }
                confirmed(this); // counted as the vendor saw it, before the call itself joins the log
                end(true);
            }
            endShared(true);
        }

        /**
         * The vendor refused the call for its rate limit: not counted (the vendor did not count it), and the budget
         * learns from it (nothing when the vendor was only busy).
         */
        public void refused(Limit limit, int vendorLimit) {
            synchronized (CallBudget.this) {
                if (ended) {
                    return;
                }
                if (limit != Limit.BUSY) {
                    learn(this, limit, vendorLimit);
                }
                end(limit == Limit.BUSY);
            }
            endShared(limit == Limit.BUSY);
        }

        @Override
        public void close() {
            synchronized (CallBudget.this) {
                if (ended) {
                    return;
                }
                end(true);
            }
            endShared(true);
        }

        /** Outside the budget's lock: the ledger is a database, and this process's other calls need not wait for it. */
        private void endShared(boolean counted) {
            if (shared != null) {
                shared.ended(counted);
            }
        }

        private void end(boolean counted) {
            if (ended) {
                return;
            }
            ended = true;
            inFlightNow--;
            long now = clock.getAsLong();
            lastActive = now;
            if (counted) {
                calls.add(now, now - minute.length);
            }
            CallBudget.this.notifyAll();
        }
    }

    /**
     * One limit (a sliding window's calls, or the calls at once): as configured, as paced now, the most calls it was
     * seen to allow, and the count a refusal made it suspect at. A refusal that another client's calls may explain
     * holds the pace lower until {@code heldUntil}; then one call {@code probing} the suspected count tells whether
     * it is a limit, and the pace goes back to {@code held} or is lowered for good.
     */
    private final class Level {
        final long length;
        final String unit;
        int configured;
        int paced;
        int proven;
        int suspect;
        long suspectSince;
        long changed;
        int held;
        long heldUntil;
        boolean probing;
        /** the window the hold waits out: "second" or "minute" */
        String heldFor;

        Level(long length, String unit, int configured) {
            this.length = length;
            this.unit = unit;
            this.configured = Math.max(configured, 0);
            this.paced = this.configured;
        }

        /**
         * 0 when a call is allowed at {@code now}, else how long until one is; -1 when the calls in flight alone fill
         * the window (until one ends). Windows only.
         */
        long untilAllowed(long now) {
            if (paced <= 0) {
                return 0;
            }
            int ended = calls.countAfter(now - length);
            int counted = ended + inFlightNow;
            if (counted < paced) {
                return 0;
            }
            int toExpire = counted - paced + 1;
            if (toExpire > ended) {
                return -1;
            }
            return calls.get(calls.size() - ended + toExpire - 1) + length - now;
        }

        /** The calls the vendor may have counted in the window that ends when {@code p} was made, {@code p} included. */
        int countAt(Permit p) {
            return calls.countBetween(p.start - length, p.start) + p.inFlight;
        }

        /** A call was answered with {@code count} in this level (itself included): the vendor allows that many. */
        void allowed(int count, long now) {
            proven = Math.max(proven, count);
            if (suspect > 0 && count >= suspect) {
                suspect = 0; // the suspected count was allowed: that refusal was not this limit
                if (held()) {
                    release("the vendor answered the " + ordinal(count) + " call " + per());
                }
            }
        }

        /**
         * A call was refused with {@code count} in this level (itself included). A count the vendor allowed before
         * only weakens that evidence by one (a passing refusal, or a limit lowered since); a count never allowed is
         * suspected, and a refusal at it or above confirms it when no call was answered at it meanwhile and at
         * least a sixtieth of the window has passed (in a minute's first second every call is a new count, and two
         * passing refusals in a row are not a limit; a full minute refuses every call for longer).
         * <p>
         * {@code unseenUntil} is when the refused call's window would have held only calls of the budget's stretch,
         * 0 if it did. Before then the vendor may have counted another client's calls, made before the stretch: the
         * budget paces at the count it would confirm until then, which waits the window out instead of asking a full
         * one again, but keeps nothing. The vendor's own number is the vendor's whoever filled the window.
         */
        void refused(int count, int vendorLimit, long now, long unseenUntil, String unseen) {
            if (vendorLimit > 0 && (settled() <= 0 || vendorLimit < settled())) {
                lower(vendorLimit, now, "the vendor's answer says " + vendorLimit + " calls " + per());
            } else if (count <= proven) {
                proven--;
            } else if (suspect > 0 && count >= suspect) {
                if (now - suspectSince < length / 60) {
                    return;
                }
                String why = "the vendor refused the " + ordinal(suspect) + " call " + per() + " again";
                if (unseenUntil > 0) {
                    hold(suspect - 1, unseenUntil, unseen, now, why);
                } else {
                    lower(suspect - 1, now, why);
                }
            } else {
                suspect = count;
                suspectSince = now;
            }
        }

        private boolean held() {
            return heldUntil > 0 || probing;
        }

        /** The pace once any hold ends. */
        private int settled() {
            return held() ? held : paced;
        }

        private String per() {
            return length > 0 ? "in a " + unit : unit;
        }

        private void lower(int to, long now, String why) {
            suspect = 0;
            to = Math.max(1, to);
            int was = settled();
            if (was > 0 && to >= was) {
                return;
            }
            LOG.info("{}: {}; pacing at {} calls {} from now on (was {})", name, why, to, perUnit(), pace(was));
            if (heldUntil > 0) {
                held = to; // the window is still full of calls the budget did not see: held until it has passed
                paced = Math.min(paced, to);
            } else {
                paced = to;
                probing = false;
            }
            proven = Math.min(proven, to);
            changed = now;
        }

        /** Paces at {@code to} until {@code until}, then as before; the suspicion stays, to be confirmed or cleared. */
        private void hold(int to, long until, String window, long now, String why) {
            to = Math.max(1, to);
            if (until <= now || (paced > 0 && to >= paced)) {
                return;
            }
            LOG.info("{}: {} in its first {} of calls (the vendor's window may hold another client's calls); pacing"
                    + " at {} calls {} for {} s, then at {} again unless the vendor refuses that count again", name,
                    why, window, to, perUnit(), Math.max(1, (until - now) / SECOND), pace(settled()));
            if (!held()) {
                held = paced;
            }
            heldUntil = until;
            heldFor = window;
            probing = false;
            paced = to;
        }

        /**
         * A hold whose window has passed lets one call at the suspected count through (the calls counted include those
         * in flight, so only one): answered, the pace is as before; refused, the limit is confirmed. A probe no call
         * reached within {@link #RECOVERY} ends too.
         */
        void tick(long now) {
            if (heldUntil > 0 && now >= heldUntil) {
                heldUntil = 0;
                if (suspect > 0 && (held <= 0 || suspect < held)) {
                    probing = true;
                    changed = now;
                    paced = suspect;
                    LOG.info("{}: its first {} of calls is over; one call at the {} {} tells whether that is a limit",
                            name, heldFor, ordinal(suspect), per());
                } else {
                    release("its first " + heldFor + " of calls is over");
                }
            } else if (probing && now - changed >= RECOVERY && now - lastRefusal >= RECOVERY) {
                release("no call reached the " + ordinal(suspect) + " " + per() + " for ten minutes");
            }
        }

        private void release(String why) {
            LOG.info("{}: {}; pacing {} again", name, why,
                    held > 0 ? "at " + held + " calls " + perUnit() : "without a limit " + perUnit());
            paced = held;
            held = 0;
            heldUntil = 0;
            probing = false;
        }

        private String perUnit() {
            return length > 0 ? "per " + unit : unit;
        }

        void recover(long now) {
            tick(now);
            if (held()) {
                return;
            }
            boolean lowered = configured > 0 ? paced < configured : paced > 0;
            if (lowered && now - lastRefusal >= RECOVERY && now - changed >= RECOVERY) {
                paced = configured > 0 ? Math.min(configured, paced + 1) : paced + 1;
                changed = now;
            }
        }

        void tighten(int limit) {
            configured = limit;
            paced = paced <= 0 ? limit : Math.min(paced, Math.max(limit, 1));
            if (held()) {
                held = held <= 0 ? limit : Math.min(held, Math.max(limit, 1));
            }
        }
    }

    private final String name;
    private final LongSupplier clock;
    private final CallLog calls = new CallLog();
    private final Level second;
    private final Level minute;
    private final Level atOnce;
    private int inFlightNow;
    /** the ledger every process using this app key counts its calls in, or null: this process's alone */
    private volatile CallLedger ledger;
    private long lastRefusal;
    private long refusals;
    /** when the budget's current stretch of calls began: its first call, or its first after {@link #QUIET} */
    private long stretchStart;
    /** when the budget last made a call or a call ended */
    private long lastActive;

    /** @param name what the log calls it, e.g. {@code jushuitan app 1234} */
    public CallBudget(String name, Limits limits) {
        this(name, limits, System::nanoTime);
    }

    CallBudget(String name, Limits limits, LongSupplier nanoClock) {
        this.name = name;
        this.clock = nanoClock;
        this.second = new Level(SECOND, "second", limits.perSecond());
        this.minute = new Level(MINUTE, "minute", limits.perMinute());
        this.atOnce = new Level(0, "at once", limits.concurrent());
        this.lastRefusal = nanoClock.getAsLong() - 2 * RECOVERY;
        this.lastActive = nanoClock.getAsLong() - 2 * QUIET;
    }

    /**
     * Waits until a call is allowed and takes it: by this process's count, then, when the budget is shared, by the
     * ledger's count of every process's calls. The learning from refusals stays this process's own.
     */
    public Permit acquire() throws InterruptedException {
        int inFlight;
        synchronized (this) {
            while (true) {
                long now = clock.getAsLong();
                long wait = waitNanos(now);
                if (wait == 0) {
                    if (ledger == null) {
                        return take(now, null);
                    }
                    begin(now);
                    inFlight = ++inFlightNow; // held while the ledger is asked, so this process never exceeds its own count
                    break;
                }
                // a window: sleep until it slides; calls in flight: until one ends (notified), a second at most
                long ms = wait > 0 ? Math.max(1, (wait + 999_999) / 1_000_000) : 1000;
                wait(ms);
            }
        }
        CallLedger.Entry entry;
        try {
            entry = ledger.admit(name, paced());
        } catch (InterruptedException | RuntimeException e) {
            synchronized (this) {
                inFlightNow--;
                notifyAll();
            }
            throw e;
        }
        synchronized (this) {
            return new Permit(clock.getAsLong(), inFlight, entry);
        }
    }

    /** Takes a call if this process's count allows one now; null if not. A shared budget always waits: {@link #acquire}. */
    public synchronized Permit tryAcquire() {
        if (ledger != null) {
            throw new IllegalStateException(name + " is shared with other processes: a call waits for the ledger (acquire)");
        }
        long now = clock.getAsLong();
        return waitNanos(now) == 0 ? take(now, null) : null;
    }

    /** From now on every call is also counted in {@code ledger}, with every other process's calls on the same key. */
    void share(CallLedger ledger) {
        this.ledger = ledger;
    }

    /** 0 when a call is allowed at {@code now}; a window's wait in ns; -1 until a call in flight ends. */
    private long waitNanos(long now) {
        second.recover(now);
        minute.recover(now);
        atOnce.recover(now);
        long inSecond = second.untilAllowed(now);
        long inMinute = minute.untilAllowed(now);
        if (inSecond > 0 || inMinute > 0) {
            return Math.max(inSecond, inMinute);
        }
        return inSecond < 0 || inMinute < 0 || (atOnce.paced > 0 && inFlightNow >= atOnce.paced) ? -1 : 0;
    }

    private Permit take(long now, CallLedger.Entry shared) {
        begin(now);
        inFlightNow++;
        return new Permit(now, inFlightNow, shared);
    }

    /** A call is made at {@code now}: after a quiet minute it starts a new stretch. */
    private void begin(long now) {
        if (inFlightNow == 0 && now - lastActive >= QUIET) {
            stretchStart = now;
        }
        lastActive = now;
    }

    private void confirmed(Permit p) {
        long now = clock.getAsLong();
        second.allowed(second.countAt(p), now);
        minute.allowed(minute.countAt(p), now);
        atOnce.allowed(p.inFlight, now);
    }

    private void learn(Permit p, Limit limit, int vendorLimit) {
        long now = clock.getAsLong();
        refusals++;
        lastRefusal = now;
        int inSecond = second.countAt(p);
        int inMinute = minute.countAt(p);
        // until when the window the refusal names may hold calls from before the stretch; a window it does not name
        // may be the minute (the longest counted), whichever level it is blamed on. Calls at once are all in sight.
        long secondUnseen = unseenUntil(p, SECOND);
        long minuteUnseen = unseenUntil(p, MINUTE);
        switch (limit) {
        case CONCURRENT -> atOnce.refused(p.inFlight, vendorLimit, now, 0, null);
        case PER_SECOND -> second.refused(inSecond, vendorLimit, now, secondUnseen, "second");
        case PER_MINUTE -> minute.refused(inMinute, vendorLimit, now, minuteUnseen, "minute");
        case UNKNOWN -> {
            // the window whose count was never allowed before is the one hit (both: the shorter); neither: no window
            // explains it (another client of the key, a passing fault), and nothing is learned
            if (inSecond > second.proven) {
                second.refused(inSecond, vendorLimit, now, minuteUnseen, "minute");
            } else if (inMinute > minute.proven) {
                minute.refused(inMinute, vendorLimit, now, minuteUnseen, "minute");
            }
        }
        case BUSY -> {
        }
        }
    }

    /** When a window of {@code length} ending at {@code p}'s start would hold only the stretch's calls; 0: it did. */
    private long unseenUntil(Permit p, long length) {
        long seen = stretchStart + length;
        return p.start < seen ? seen : 0;
    }

    private static String pace(int calls) {
        return calls > 0 ? String.valueOf(calls) : "no limit";
    }

    private static String ordinal(int n) {
        int mod100 = n % 100;
        String suffix = mod100 >= 11 && mod100 <= 13 ? "th" : switch (n % 10) {
        case 1 -> "st";
        case 2 -> "nd";
        case 3 -> "rd";
        default -> "th";
        };
        return n + suffix;
    }

    /** Makes the configured limits at most {@code limits} (another sync configured the same app key lower). */
    synchronized void tighten(Limits limits) {
        Limits now = configured().tighter(limits);
        if (!now.equals(configured())) {
            second.tighten(now.perSecond());
            minute.tighten(now.perMinute());
            atOnce.tighten(now.concurrent());
        }
    }

    public String name() {
        return name;
    }

    public synchronized Limits configured() {
        return new Limits(second.configured, minute.configured, atOnce.configured);
    }

    /** The limits paced now: the configured ones, or lower while the budget learns from refusals. */
    public synchronized Limits paced() {
        long now = clock.getAsLong();
        second.tick(now); // a hold that is over, though no call asked since
        minute.tick(now);
        return new Limits(second.paced, minute.paced, atOnce.paced);
    }

    /** Rate-limit refusals the vendor answered, since this budget was made. */
    public synchronized long refusals() {
        return refusals;
    }

    /**
     * The answer times of the calls of the last minute, oldest first, in a ring: counting the calls in a window is a
     * binary search, so a budget costs the same at 5 calls a minute and at 5,000 a second.
     */
    private static final class CallLog {
        private static final int MAX = 1 << 16;
        private long[] times = new long[64];
        private int head;
        private int size;

        void add(long t, long expireBefore) {
            while (size > 0 && get(0) <= expireBefore) {
                head = (head + 1) % times.length;
                size--;
            }
            if (size == times.length) {
                if (times.length >= MAX) {
                    head = (head + 1) % times.length; // the oldest is dropped: counts above MAX a minute undercount
                    size--;
                } else {
                    long[] grown = new long[times.length * 2];
                    for (int i = 0; i < size; i++) {
                        grown[i] = get(i);
                    }
                    times = grown;
                    head = 0;
                }
            }
            times[(head + size) % times.length] = t;
            size++;
        }

        long get(int i) {
            return times[(head + i) % times.length];
        }

        int size() {
            return size;
        }

        /** Calls made after {@code t} (exclusive). */
        int countAfter(long t) {
            return size - firstAfter(t);
        }

        /** Calls made after {@code from} up to {@code to}, inclusive. */
        int countBetween(long from, long to) {
            return firstAfter(to) - firstAfter(from);
        }

        private int firstAfter(long t) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (get(mid) <= t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
