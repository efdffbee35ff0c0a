package io.ferry.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Peak heap of this JVM while a measurement runs. Heap use peaks just before a collection, so every GC
 * notification reports the heap used before it (the peak, garbage included) and after it (what was live).
 * The sum of the heap pools' own peaks is kept as a cross-check: it is an upper bound, since pools peak at
 * different moments.
 */
public final class HeapWatch implements AutoCloseable {

    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakLive = new AtomicLong();
    private final AtomicLong gcCount = new AtomicLong();
    private final AtomicLong gcMillis = new AtomicLong();
    private final List<Runnable> unregister = new ArrayList<>();
    private final long cpuAtStart = BenchResult.cpuNanos();

    /** Resets the pools' peaks and starts listening to collections. */
    public static HeapWatch start() {
        HeapWatch w = new HeapWatch();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
        w.record(heapUsedNow(), 0);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                NotificationListener l = w::onNotification;
                emitter.addNotificationListener(l, null, null);
                w.unregister.add(() -> {
                    try {
                        emitter.removeNotificationListener(l);
                    } catch (Exception ignored) {
                        // already gone
                    }
                });
            }
        }
        return w;
    }

    private void onNotification(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        gcCount.incrementAndGet();
        gcMillis.addAndGet(info.getGcInfo().getDuration());
        record(sum(info.getGcInfo().getMemoryUsageBeforeGc()), sum(info.getGcInfo().getMemoryUsageAfterGc()));
    }

    /** One observation: heap used before a collection and what survived it. */
    void record(long usedBefore, long liveAfter) {
        peakUsed.accumulateAndGet(usedBefore, Math::max);
        peakLive.accumulateAndGet(liveAfter, Math::max);
    }

    private static long sum(Map<String, MemoryUsage> byPool) {
        long total = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage u = byPool.get(pool.getName());
            if (pool.getType() == MemoryType.HEAP && u != null) {
                total += u.getUsed();
            }
        }
        return total;
    }

    static long heapUsedNow() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Highest heap use seen (at a collection, or now). */
    public long peakUsed() {
        record(heapUsedNow(), 0);
        return peakUsed.get();
    }

    /** Highest heap still in use right after a collection: the live set. */
    public long peakLive() {
        return peakLive.get();
    }

    /** Sum of the heap pools' peaks since {@link #start()}: an upper bound of {@link #peakUsed()}. */
    public static long poolPeakSum() {
        long total = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                total += pool.getPeakUsage().getUsed();
            }
        }
        return total;
    }

    /** Process CPU time when the watch started, so that a measurement can report its own CPU use. */
    long cpuAtStart() {
        return cpuAtStart;
    }

    public long gcCount() {
        return gcCount.get();
    }

    public long gcMillis() {
        return gcMillis.get();
    }

    @Override
    public void close() {
        unregister.forEach(Runnable::run);
    }
}
