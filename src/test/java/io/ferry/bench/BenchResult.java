package io.ferry.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/** What one measured JVM reports to the benchmark that started it: one {@code RESULT {json}} line. */
final class BenchResult {

    static final String PREFIX = "RESULT ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> values = new LinkedHashMap<>();

    BenchResult put(String key, Object value) {
        values.put(key, value);
        return this;
    }

    /** Elapsed time, heap and statement counts of a measurement. */
    BenchResult measured(long records, long nanos, HeapWatch heap) {
        double secs = nanos / 1e9;
        put("records", records);
        put("seconds", Math.round(secs * 1000) / 1000.0);
        put("recordsPerSecond", Math.round(records / secs));
        put("peakHeapUsedMB", mb(heap.peakUsed()));
        put("peakHeapLiveMB", mb(heap.peakLive()));
        put("poolPeakSumMB", mb(HeapWatch.poolPeakSum()));
        put("heapMaxMB", mb(Runtime.getRuntime().maxMemory()));
        put("cpuMsPer1000", Math.round((cpuNanos() - heap.cpuAtStart()) / 1e6 / Math.max(1, records) * 1000 * 10) / 10.0);
        put("gcCount", heap.gcCount());
        put("gcMillis", heap.gcMillis());
        put("statements", StatementCounter.snapshot());
        return this;
    }

    /** CPU time of this process (all threads: the pipeline, GC, JIT). */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static double mb(long bytes) {
        return Math.round(bytes / 1048576.0 * 10) / 10.0;
    }

    void emit() throws Exception {
        System.out.println(PREFIX + JSON.writeValueAsString(values));
        System.out.flush();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String line) throws Exception {
        return JSON.readValue(line.substring(PREFIX.length()), Map.class);
    }
}
