package io.ferry.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The paging state of one run: which page (or offset, or cursor) to ask for next and whether to ask at all.
 * <p>
 * Every source endpoint reports each page it received through {@link #received}; paging then ends on the
 * vendor's own end signal, on an empty page, on a page identical to the one before it (a source that
 * ignores the page parameter would otherwise be read forever), or at {@code maxPages}.
 * <p>
 * A whole scan may start at a later page ({@link #resumeAt}): where the run before it stopped. It then reads to the
 * source's end and goes on from the first page up to the page it started at, so that every page is read once.
 */
public class Paging {

    private final int maxPages;
    private final List<String> warnings = new ArrayList<>();
    private boolean more = true;
    private int pages;
    private Integer pageNumber;
    private int base;
    private Integer startPage;
    private String cursor;
    private String lastFingerprint;
    private Long total;
    private Integer resumePage;
    /** the page a resumed scan started at, once it wrapped around to the first page */
    private Integer wrappedUntil;
    private boolean cutShort;
    /** pages a source step set out to read (read or failed) */
    private int asks;
    /** {@link #asks} when the paging loop last asked whether to go on; -1 before its first round */
    private int asksAtLoopCheck = -1;
    private Windows windows;

    public Paging(int maxPages) {
        this.maxPages = maxPages;
    }

    /**
     * Reads the source window after window ({@link Windows}): when a window's paging ends, the next window begins at
     * its first page, so the route's loop reads on until the last window. No window to read: no page is asked for.
     */
    public void useWindows(Windows windows) {
        this.windows = windows;
        this.more = windows.current() != null;
    }

    /** The windows of a sync read by time window; null for any other. */
    public Windows windows() {
        return windows;
    }

    /** The page number to ask for; the first call fixes the vendor's base (0 or 1). */
    public int pageNumber(int base) {
        if (pageNumber == null) {
            this.base = base;
            pageNumber = resumePage != null && resumePage > base ? resumePage : base;
            startPage = pageNumber;
        }
        return pageNumber;
    }

    /** Starts a page-numbered scan at this page instead of the first (see the class comment). */
    public void resumeAt(int page) {
        this.resumePage = page;
    }

    /** The page this run started at when it resumed a scan, else null. */
    public Integer resumedAt() {
        return startPage != null && startPage != base ? startPage : null;
    }

    /** The page asked for now (or next), for a scan by page number; null for sources paged by offset or cursor. */
    public Integer pageNumberAsked() {
        return pageNumber;
    }

    /** The offset or cursor to ask from; {@code initial} is used until a page moved it. */
    public String cursor(String initial) {
        return cursor == null ? initial : cursor;
    }

    public void moveCursor(String next) {
        this.cursor = next;
    }

    /**
     * A page arrived.
     *
     * @param size           records on the page
     * @param vendorSaysMore the vendor's own end signal (has_next, total_count, a full page) says there are more
     * @param fingerprint    a digest of the page's content, to recognise a page served twice
     * @return false when the page repeats the previous one and its records must not be used
     */
    public boolean received(int size, boolean vendorSaysMore, String fingerprint) {
        pages++;
        if (windows != null) {
            windows.pageReceived();
        }
        if (size > 0 && fingerprint != null && fingerprint.equals(lastFingerprint)) {
            more = false;
            cutShort = true;
            warnings.add("page " + pages + " repeats the page before it; paging stopped there");
            return false;
        }
        lastFingerprint = fingerprint;
        if (pageNumber != null) {
            pageNumber++;
        }
        if (wrappedUntil != null && pageNumber >= wrappedUntil) {
            more = false; // a resumed scan is back at the page it started at
        } else if (size == 0 || !vendorSaysMore) {
            more = false;
            if (windows != null && windows.ended()) {
                // the window (again, or the next one) from its first page
                pageNumber = pageNumber == null ? null : base;
                cursor = null;
                lastFingerprint = null;
                more = pages < maxPages;
                if (!more) {
                    cutShort = true;
                    warnings.add("stopped after maxPages=" + maxPages + " pages although windows remain to be read");
                }
            } else if (startPage != null && startPage > base && wrappedUntil == null) {
                // the source's end after a resumed start: the pages before the start are read now
                wrappedUntil = startPage;
                pageNumber = base;
                lastFingerprint = null;
                more = pages < maxPages;
                if (!more) {
                    cutShort = true;
                    warnings.add("stopped after maxPages=" + maxPages + " pages although the source has more");
                }
            }
        } else if (pages >= maxPages) {
            more = false;
            cutShort = true;
            warnings.add("stopped after maxPages=" + maxPages + " pages although the source has more");
        }
        return true;
    }

    /** The number of records the source says it has, when it says so (for progress estimates). */
    public void setTotal(long total) {
        this.total = total;
        if (windows != null) {
            windows.total(total);
        }
    }

    public Long total() {
        return total;
    }

    /** Stops paging early (e.g. the run is stopping). */
    public void stop() {
        more = false;
        cutShort = true;
    }

    public boolean hasMore() {
        return more;
    }

    /** A source step sets out to read a page (called before the call, so a page that fails counts too). */
    public void asking() {
        asks++;
    }

    /**
     * The paging loop's condition: whether to read another page. A round of the loop in which no source reported a
     * page would repeat for ever (a step such as Camel's plain {@code http:} reads a page without telling the run,
     * so no end signal, maxPages or repeated-page guard can stop it): that fails the run with a
     * {@link ConfigurationException} instead.
     */
    public boolean continueLoop() {
        if (more && asksAtLoopCheck >= 0 && asks == asksAtLoopCheck) {
            more = false;
            cutShort = true;
            throw new ConfigurationException("the paging loop ran a round in which no Ferry source step read a page (after "
                    + pages + " page" + (pages == 1 ? "" : "s") + "): a step such as Camel's http: does not tell the run about"
                    + " its pages, so paging could never end; use a Ferry source (jushuitan:, wangdiantong:, kingdee:query,"
                    + " jellyfish:pull, jsonapi:) in the loop");
        }
        asksAtLoopCheck = asks;
        return more;
    }

    /** Paging ended on the source's own end signal: not stopped early, at maxPages, or on a repeated page. */
    public boolean readToEnd() {
        return !more && !cutShort;
    }

    public int pages() {
        return pages;
    }

    public List<String> warnings() {
        if (windows == null || windows.warnings().isEmpty()) {
            return warnings;
        }
        List<String> all = new ArrayList<>(warnings);
        all.addAll(windows.warnings());
        return all;
    }

    /** has_next style: the vendor says so. */
    public static boolean moreByFlag(Boolean hasNext, int size, int pageSize) {
        return hasNext != null ? hasNext : size >= pageSize;
    }

    /** total_count style, for a page number counted from {@code base}. */
    public static boolean moreByTotal(long total, int pageNumber, int base, int pageSize) {
        return (long) (pageNumber - base + 1) * pageSize < total;
    }
}
