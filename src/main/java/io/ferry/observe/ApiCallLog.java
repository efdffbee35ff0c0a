package io.ferry.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.state.ApiCallRepository;
import io.ferry.http.ApiCall;
import io.ferry.http.ApiCallRecorder;

/**
 * Writes every vendor call to {@code ferry_api_call} without holding up the sync: {@link #record} only puts the
 * call on a bounded queue; a background thread masks, truncates and inserts the queued calls in batches. Stopping
 * writes whatever is still queued, so a clean stop loses no call. When the database falls behind and the queue is
 * full, a caller waits up to {@code offerWaitMillis}, then the call is dropped and counted.
 */
public class ApiCallLog extends ServiceSupport implements ApiCallRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(ApiCallLog.class);
    private static final String TRUNCATED = "…[truncated]";
    /** Ends a body cut before it was queued (a noncharacter: never in a vendor's answer). */
    private static final String PRECUT = "\uFFFF";

    private final ApiCallRepository repository;
    private final SecretMasker masker;
    private final int bodyMaxChars;
    /** How long the writer waits for more calls to insert with the first one. */
    static final long LINGER_MS = 200;

    private final int batchSize;
    private final long offerWaitMillis;
    private final BlockingQueue<ApiCall> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean running;
    private Thread writer;

    public ApiCallLog(ApiCallRepository repository, SecretMasker masker, int bodyMaxChars, int queueCapacity, int batchSize,
            long offerWaitMillis) {
        this.repository = repository;
        this.masker = masker;
        this.bodyMaxChars = bodyMaxChars;
        this.batchSize = Math.max(1, batchSize);
        this.offerWaitMillis = offerWaitMillis;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, queueCapacity));
    }

    @Override
    public void record(ApiCall call) {
        // a page of a few hundred kilobytes must not wait in the queue whole: that is the heap a sync would need
        call = new ApiCall(call.sync(), call.runId(), call.system(), call.direction(), call.endpoint(), call.httpStatus(),
                call.vendorCode(), call.latencyMillis(), precut(call.requestBody()), precut(call.responseBody()),
                call.error(), call.at());
        try {
            if (!queue.offer(call, offerWaitMillis, TimeUnit.MILLISECONDS)) {
                long n = dropped.incrementAndGet();
                if (n == 1 || n % 1000 == 0) {
                    LOG.warn("API-call log is behind: {} call(s) not logged so far (queue of {} full)", n,
                            queue.size() + queue.remainingCapacity());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void doStart() {
        running = true;
        writer = new Thread(this::drainLoop, "ferry-api-call-log");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        if (writer != null) {
            writer.interrupt();
            writer.join(30_000);
            writer = null;
        }
        // whatever the writer did not take before it ended
        flush();
        if (dropped.get() > 0) {
            LOG.warn("API-call log dropped {} call(s) while the database was behind", dropped.get());
        }
    }

    /** Writes everything queued now, on the calling thread. */
    public void flush() {
        List<ApiCall> batch = new ArrayList<>(batchSize);
        while (queue.drainTo(batch, batchSize) > 0) {
            write(batch);
            batch.clear();
        }
    }

    private void drainLoop() {
        List<ApiCall> batch = new ArrayList<>(batchSize);
        while (running) {
            try {
                ApiCall first = queue.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                // gather what comes in the next moments too: one insert per call would be a state statement per page
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MS);
                while (batch.size() < batchSize && running) {
                    queue.drainTo(batch, batchSize - batch.size());
                    long left = until - System.nanoTime();
                    if (batch.size() >= batchSize || left <= 0) {
                        break;
                    }
                    ApiCall next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                write(batch);
                batch.clear();
            } catch (InterruptedException e) {
                // stop: doStop() flushes the rest
                break;
            }
        }
        if (!batch.isEmpty()) {
            write(batch);
        }
    }

    private void write(List<ApiCall> batch) {
        List<ApiCall> clean = new ArrayList<>(batch.size());
        for (ApiCall c : batch) {
            clean.add(new ApiCall(c.sync(), c.runId(), c.system(), c.direction(), c.endpoint(), c.httpStatus(),
                    c.vendorCode(), c.latencyMillis(), body(c.requestBody()), body(c.responseBody()),
                    masker.mask(c.error()), c.at()));
        }
        try {
            repository.insert(clean);
            written.addAndGet(clean.size());
        } catch (RuntimeException e) {
            // one retry: a pool that was briefly exhausted or a lost connection
            try {
                Thread.sleep(200);
                repository.insert(clean);
                written.addAndGet(clean.size());
            } catch (RuntimeException | InterruptedException again) {
                if (again instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                dropped.addAndGet(clean.size());
                LOG.warn("API-call log could not store {} call(s): {}", clean.size(), e.getMessage());
            }
        }
    }

    /**
     * What of a body is queued: the first {@code bodyMaxChars} plus the longest secret's length, so that a secret
     * starting inside what is kept is queued whole. The cut is marked by a character no body carries.
     */
    String precut(String body) {
        if (body == null || bodyMaxChars <= 0 || body.length() <= bodyMaxChars + masker.longest()) {
            return body;
        }
        return body.substring(0, bodyMaxChars + masker.longest()) + PRECUT;
    }

    /**
     * Masked first, then cut: a secret cut in half would no longer be found. Of a body cut before it was queued, the
     * last longest-secret's length is dropped too: a secret may have been cut in half there, and masking what comes
     * before it may have shortened the text enough to bring that half within the kept part.
     */
    String body(String body) {
        if (body == null) {
            return null;
        }
        boolean precut = body.endsWith(PRECUT);
        String masked = masker.mask(precut ? body.substring(0, body.length() - PRECUT.length()) : body);
        int keep = bodyMaxChars <= 0 ? masked.length() : bodyMaxChars;
        if (precut) {
            keep = Math.min(keep, Math.max(0, masked.length() - masker.longest()));
        }
        return keep >= masked.length() && !precut ? masked : masked.substring(0, keep) + TRUNCATED;
    }

    public long dropped() {
        return dropped.get();
    }

    public long written() {
        return written.get();
    }

    public int queued() {
        return queue.size();
    }
}
