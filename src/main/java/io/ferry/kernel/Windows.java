package io.ferry.kernel;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The time windows one run reads, in order, from the saved position up to {@code now − lag}: a source whose API is
 * queried by modified time ({@code modified_begin}/{@code modified_end}) is read window after window, each window paged
 * from its first page (docs/time-windows.md).
 * <p>
 * Every window asks for at most {@code size} (the vendor's maximum bounds it). Its asked start reaches back before
 * the position by {@code overlap} (so a record modified exactly at a bound is read whatever the vendor's
 * inclusiveness), the first window of a run also by {@code lookback} (changes that became visible late: replica lag,
 * clock skew). Its end is fixed when the window begins, never later than the horizon {@code now − lag} taken when
 * the run began. A window whose record count changed between its first and last page (a record changed while the
 * window was paged, so the live pages shifted) is read again from its first page, at most {@link #MAX_REREADS} times.
 */
public final class Windows {

    /** How often a window whose count moved while it was paged is read again before the run goes on with a warning. */
    public static final int MAX_REREADS = 3;

    /**
     * What a route declares on {@code ferry:start}.
     *
     * @param field    the record field the windows are on (the API's modified time), for messages and docs
     * @param start    where the first run begins when nothing is saved
     * @param size     the span one call asks for
     * @param lookback how far the first window of each run reaches back before the saved position
     * @param lag      how far behind now the windows stop
     */
    public record Spec(String field, Instant start, Duration size, Duration lookback, Duration lag) {

        public Spec {
            if (size.isNegative() || size.isZero()) {
                throw new IllegalArgumentException("windowSize must be positive, got " + size);
            }
            if (lookback.isNegative() || lag.isNegative()) {
                throw new IllegalArgumentException("lookback and lag must not be negative");
            }
            // each window reaches back by the lookback (the first) and a second of overlap: what is left must move on
            if (lookback.plusSeconds(1).compareTo(size) >= 0) {
                throw new IllegalArgumentException("lookback (" + lookback + ") plus a second must be shorter than windowSize ("
                        + size + "), else a run would never move on");
            }
        }

        /** A time as a route writes it: ISO-8601 with its offset, e.g. 2026-11-01T00:00:00+08:00. */
        public static Instant parseTime(String name, String text) {
            try {
                // a '+' in a route URI's query reads as a space: 2026-11-01T00:00:00+08:00 arrives as "…00 08:00"
                String t = text.strip().replaceFirst("^(\\S+T[0-9:.]+) ([0-9]{2}:?[0-9]{2})$", "$1+$2");
                return OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(name + " must be an ISO-8601 time with its offset, e.g."
                        + " 2026-11-01T00:00:00+08:00, got '" + text + "'");
            }
        }

        public static Duration parseDuration(String name, String text) {
            try {
                return Duration.parse(text.strip());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(name + " must be an ISO-8601 duration such as P7D, PT60M or PT30S, got '"
                        + text + "'");
            }
        }
    }

    /**
     * One window.
     *
     * @param askFrom what the request's begin says (the position less the overlap, and the lookback on a run's first)
     * @param from    where the window's own span begins (the position)
     * @param to      its end, fixed while it is paged; the position moves here once its records are delivered
     */
    public record Window(Instant askFrom, Instant from, Instant to) {
    }

    private final Spec spec;
    private final Duration overlap;
    private final Instant horizon;
    private Window current;
    private int rereads;
    private Long firstTotal;
    private Long lastTotal;
    private Instant endedBeforeLastPage;
    private Instant endedThroughLastPage;
    private int windowsRead;
    private final java.util.List<String> warnings = new java.util.ArrayList<>();

    /**
     * @param position where this run starts (the saved position, else the spec's start)
     * @param overlap  the source's bound overlap (zero for an API documented as [begin, end))
     * @param now      the run's start
     */
    public Windows(Spec spec, Instant position, Duration overlap, Instant now) {
        this.spec = spec;
        this.overlap = overlap;
        // the vendors' bounds are in whole seconds
        this.horizon = now.minus(spec.lag()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        this.current = window(position, position.minus(spec.lookback()).minus(overlap));
    }

    /** The window to ask for now; null when the position is at the horizon (nothing to read yet). */
    public Window current() {
        return current;
    }

    public Spec spec() {
        return spec;
    }

    /** Never asked past: now − lag at the start of the run. */
    public Instant horizon() {
        return horizon;
    }

    private Window window(Instant from, Instant askFrom) {
        if (!from.isBefore(horizon.minusSeconds(1))) {
            return null; // less than a second to read: the vendors' bounds are in seconds
        }
        Instant to = askFrom.plus(spec.size());
        return new Window(askFrom, from, to.isAfter(horizon) ? horizon : to);
    }

    /** The source said how many records the window has (on each page). */
    void total(Long total) {
        if (total == null) {
            return;
        }
        if (firstTotal == null) {
            firstTotal = total;
        }
        lastTotal = total;
    }

    /**
     * The current window's paging ended on the source's end signal. Returns true when paging goes on, with the same
     * window read again (its count moved while it was paged) or the next one.
     */
    boolean ended() {
        Window w = current;
        boolean moved = firstTotal != null && !firstTotal.equals(lastTotal);
        firstTotal = null;
        lastTotal = null;
        if (moved) {
            if (rereads < MAX_REREADS) {
                rereads++;
                return true;
            }
            warnings.add("window " + w.from() + " .. " + w.to() + ": its record count kept changing while it was paged ("
                    + MAX_REREADS + " re-reads); records may be read by the next run's lookback only");
        }
        rereads = 0;
        windowsRead++;
        endedThroughLastPage = w.to();
        current = window(w.to(), w.to().minus(overlap));
        return current != null;
    }

    /** Called for every page before {@link #ended}: what ended before this page stays known as such. */
    void pageReceived() {
        endedBeforeLastPage = endedThroughLastPage;
    }

    /**
     * The end of the last window whose every page was received before the page the route works on now: all its
     * records were handed to the route, so once the batches are written the position may move there. Null before.
     */
    public Instant endedBeforeLastPage() {
        return endedBeforeLastPage;
    }

    /** The end of the last window whose every page was received (the route has worked on them once it reaches ferry:finish). */
    public Instant endedThroughLastPage() {
        return endedThroughLastPage;
    }

    /** Windows read to their end in this run. */
    public int windowsRead() {
        return windowsRead;
    }

    /** How many times the current window is being re-read. */
    public int rereads() {
        return rereads;
    }

    java.util.List<String> warnings() {
        return warnings;
    }
}
