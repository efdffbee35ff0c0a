package io.ferry.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;

import org.apache.camel.Exchange;

import io.ferry.kernel.Paging;
import io.ferry.kernel.RunContext;
import io.ferry.state.FerryState;
import io.ferry.state.RunCloser;
import io.ferry.state.RunRepository;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.state.SyncedKeyRepository.SyncedKey;

/**
 * One run of one sync, carried through the route in the exchange property {@value #PROPERTY}: its settings,
 * its paging state, its counts and its pending batches. A sync route's paging loop asks {@link PagingLoop} whether
 * to go on.
 */
public class SyncRun implements RunContext {

    public static final String PROPERTY = RunContext.PROPERTY;
    /** Set instead of {@link #PROPERTY} when a trigger found the sync already running. */
    public static final String SKIPPED_PROPERTY = "FerryRunSkipped";

    private final SyncSettings settings;
    private final long runId;
    private final long startedNanos = System.nanoTime();
    private final Instant startedAt = Instant.now();
    private final String kind;
    private volatile String endStatus;
    private volatile String endMessage;
    private volatile Instant endedAt;
    private final Paging paging;
    private final Map<String, Batch> batches = new LinkedHashMap<>();
    /** keys of this page already synced, by key: their target reference is handed to the mapping */
    private final Map<String, SyncedKey> knownOnPage = new HashMap<>();
    /** keys read in this run and not yet confirmed: a key served twice in one run is only written once */
    private final Set<String> pendingKeys = new HashSet<>();
    /** the dedup queries of pages read ahead; null until the route's ferry:dedup turns them on */
    private KeysLookedUpAhead keysAhead;
    /** keys the target confirmed and that are not marked yet (marked in groups, see BatchWriter) */
    private final List<SyncedKey> confirmed = new ArrayList<>();
    private String confirmedOffset;
    private Marking marking;
    private static final int FIRST_REJECTIONS_KEPT = 3;
    private final List<String> warnings = new ArrayList<>();
    // written on the run's thread only; volatile so that metrics read them while the run goes on
    private volatile int read;
    private volatile int skipped;
    private volatile int written;
    private volatile int failed;
    /** records handed to the mapping (and records without their key): what the error limit's share is of */
    private int tried;
    /** the reasons of the first rejections, for the message of a run stopped by its error limit */
    private final List<String> firstRejections = new ArrayList<>();
    private boolean offsetReleased;
    private boolean finished;
    private boolean openDeadLetters;
    private String offset;
    private Instant savedWindowPosition;
    private Instant windowHandedOver;
    private long lastProgressNanos = System.nanoTime();

    public SyncRun(SyncSettings settings, long runId) {
        this(settings, runId, RunRepository.SYNC);
    }

    /** @param kind {@value RunRepository#SYNC} or {@value RunRepository#REPLAY} */
    public SyncRun(SyncSettings settings, long runId, String kind) {
        this.settings = settings;
        this.runId = runId;
        this.kind = kind;
        this.paging = new Paging(settings.maxPages());
    }

    public static SyncRun of(Exchange exchange) {
        SyncRun run = exchange.getProperty(PROPERTY, SyncRun.class);
        if (run == null) {
            throw new IllegalStateException("no Ferry run on this exchange: the route must call ferry:start first (route "
                    + exchange.getFromRouteId() + ")");
        }
        return run;
    }

    public SyncSettings settings() {
        return settings;
    }

    @Override
    public String keyField() {
        return settings.keyField();
    }

    @Override
    public String syncName() {
        return settings.sync();
    }

    @Override
    public long runId() {
        return runId;
    }

    @Override
    public Paging paging() {
        return paging;
    }

    /** The window position saved last in this run (what the next run starts from), or null. */
    Instant savedWindowPosition() {
        return savedWindowPosition;
    }

    void setSavedWindowPosition(Instant position) {
        this.savedWindowPosition = position;
    }

    /** The end of the last window whose rows were all handed to the sink. */
    Instant windowHandedOver() {
        return windowHandedOver;
    }

    void setWindowHandedOver(Instant end) {
        this.windowHandedOver = end;
    }

    /** The loop condition of a sync route ({@link Paging#continueLoop()}: fails a loop that reads no page). */
    public boolean isHasMore() {
        return paging.continueLoop();
    }

    public Batch batch(String sinkUri, int size, int concurrency, int markEvery) {
        return batches.computeIfAbsent(sinkUri, u -> new Batch(u, size, concurrency, markEvery));
    }

    public Iterable<Batch> batches() {
        return batches.values();
    }

    Map<String, SyncedKey> knownOnPage() {
        return knownOnPage;
    }

    /**
     * From now on the dedup query of each page read ahead is asked on the thread that reads it
     * ({@link KeysLookedUpAhead}); once per run, later calls change nothing.
     */
    void lookUpKeysAhead(java.util.function.Function<java.util.Collection<String>, Map<String, SyncedKey>> query) {
        if (keysAhead == null) {
            keysAhead = new KeysLookedUpAhead(settings.keyField(), query);
        }
    }

    @Override
    public PageAhead readingAhead() {
        return keysAhead == null ? null : keysAhead.handOut();
    }

    /** The dedup query's answer for this page when it was asked ahead, else null. */
    KeysLookedUpAhead.Answer lookedUpAhead(List<?> page) {
        return keysAhead == null ? null : keysAhead.take(page);
    }

    /** Their marks are written: these keys are no longer pending (a later page finds them synced). */
    void marked(List<SyncedKey> keys) {
        List<String> names = new ArrayList<>(keys.size());
        for (SyncedKey k : keys) {
            pendingKeys.remove(k.key());
            names.add(k.key());
        }
        if (keysAhead != null) {
            keysAhead.marked(names);
        }
    }

    Set<String> pendingKeys() {
        return pendingKeys;
    }

    List<SyncedKey> confirmed() {
        return confirmed;
    }

    /** Keys being marked as synced on another thread, and the mark's completion. */
    record Marking(List<SyncedKey> keys, java.util.concurrent.Future<?> done) {
    }

    Marking marking() {
        return marking;
    }

    void setMarking(Marking marking) {
        this.marking = marking;
    }

    /** The offset of the last confirmed batch, stored with the next marks. */
    String confirmedOffset() {
        return confirmedOffset;
    }

    void setConfirmedOffset(String offset) {
        this.confirmedOffset = offset;
    }

    public void addRead(int n) {
        read += n;
    }

    public void addSkipped(int n) {
        skipped += n;
    }

    public void addWritten(int n) {
        written += n;
    }

    public void addFailed(int n) {
        failed += n;
    }

    /** Counts one record the run tried to deliver (the error limit's share is of these). */
    void addTried(int n) {
        tried += n;
    }

    int tried() {
        return tried;
    }

    /** Counts a record that was rejected (dead-lettered), and keeps the first few different reasons. */
    void rejected(String reason) {
        failed++;
        String shown = reason.length() > 200 ? reason.substring(0, 200) + "…" : reason;
        if (firstRejections.size() < FIRST_REJECTIONS_KEPT && !firstRejections.contains(shown)) {
            firstRejections.add(shown);
        }
    }

    /**
     * Stops the run when it has rejected more records than its error limit allows: a run whose records mostly fail
     * is failed, not a success with everything in the dead-letter table.
     */
    void checkErrorLimit() {
        String passed = settings.errorLimit().passedBy(tried, failed);
        if (passed != null) {
            throw new ErrorLimitExceededException("error limit passed: " + passed + "; the first rejections: "
                    + String.join(" | ", firstRejections));
        }
    }

    /**
     * An incremental run that rejected a record keeps its saved offset where it was until it ends: should its error
     * limit stop it, the next run reads the rejected records again (those delivered meanwhile are skipped as
     * synced). A run that ends otherwise {@linkplain #releaseOffset releases} it.
     */
    boolean holdsOffset() {
        return settings.incremental() && failed > 0 && !offsetReleased;
    }

    /** The run ended below its error limit: its offset may move past the records it dead-lettered (rule 2). */
    void releaseOffset() {
        offsetReleased = true;
    }

    public void warn(String warning) {
        warnings.add(warning);
    }

    public List<String> warnings() {
        List<String> all = new ArrayList<>(paging.warnings());
        all.addAll(warnings);
        return all;
    }

    public int read() {
        return read;
    }

    public int skipped() {
        return skipped;
    }

    public int written() {
        return written;
    }

    public int failed() {
        return failed;
    }

    public int pages() {
        return paging.pages();
    }

    /** The offset the run has reached, saved when the run finishes (incremental syncs only). */
    public String offset() {
        return offset;
    }

    public void setOffset(String offset) {
        this.offset = offset;
    }

    boolean isFinished() {
        return finished;
    }

    /**
     * Ends the run: its row gets the status, counts and message, and the run listeners are told (of a sync run; a
     * replay is reported to whoever asked for it). When the state database does not answer, the row is written in
     * the background once it does (RunCloser).
     */
    void close(FerryState state, SyncRegistry syncs, String status, String message) {
        finished = true;
        endStatus = status;
        endMessage = message;
        endedAt = Instant.now();
        state.runCloser().closeRun(new RunCloser.RunEnd(runId, status, pages(), read, skipped, written, failed, message));
        if (RunRepository.SYNC.equals(kind)) {
            // metrics and alerts follow the sync's runs: a replay that succeeded must not pass for a sync that did
            syncs.runEnded(this, status, message);
        }
    }

    /** The run as it ended, from memory: what its row says once it is written. */
    public RunRecord record() {
        return new RunRecord(runId, settings.sync(), endStatus == null ? "running" : endStatus, startedAt, endedAt, pages(),
                read, skipped, written, failed, endMessage, kind);
    }

    boolean hasOpenDeadLetters() {
        return openDeadLetters;
    }

    void setOpenDeadLetters(boolean open) {
        this.openDeadLetters = open;
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** True at most once per interval: progress is written to the run row now and then, not on every page. */
    boolean progressDue(Duration interval) {
        long now = System.nanoTime();
        if (now - lastProgressNanos >= interval.toNanos()) {
            lastProgressNanos = now;
            return true;
        }
        return false;
    }

    /** Counts, rate, and how long is left when the source said how many records it has. */
    public String progress(Duration elapsed) {
        double secs = Math.max(0.001, elapsed.toMillis() / 1000.0);
        double rate = read / secs;
        Long total = paging.total();
        String eta = total == null || rate <= 0 || total <= read ? ""
                : String.format(", %d of %d, about %d s left", read, total, Math.round((total - read) / rate));
        return summary() + String.format(" (%d records/s%s)", Math.round(rate), eta);
    }

    public String summary() {
        return String.format("pages=%d read=%d skipped=%d written=%d failed=%d in %.1f s", pages(), read, skipped,
                written, failed, elapsed().toMillis() / 1000.0);
    }
}
