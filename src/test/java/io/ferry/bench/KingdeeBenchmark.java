package io.ferry.bench;

import java.time.Duration;
import java.util.Locale;

import io.ferry.sandbox.KingdeeSimulator;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * wdt-shops-to-kingdee-customers against a Kingdee that takes 300 ms per BatchSave: rows/s for each concurrency
 * against the ideal (concurrent calls × 20 rows / 0.3 s). Not a test: run it with scripts/bench.sh kingdee [N].
 */
public final class KingdeeBenchmark {

    private static final String SYNC = "wdt-shops-to-kingdee-customers";
    private static final Duration LATENCY = Duration.ofMillis(300);
    private static final int BATCH = 20;

    private KingdeeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int shops = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        // one unmeasured pass first, so that class loading and JIT warm-up are not charged to the first figure
        measure(200, 1, Duration.ZERO, db(args), false);
        System.out.printf("Kingdee BatchSave, %d shops, %d rows per call, %d ms per call%n", shops, BATCH, LATENCY.toMillis());
        System.out.printf("%-12s %10s %10s %10s %8s %14s%n", "concurrency", "seconds", "rows/s", "ideal", "ratio", "max in flight");
        for (int concurrency : new int[] { 1, 4 }) {
            measure(shops, concurrency, LATENCY, db(args), true);
        }
        System.exit(0);
    }

    private static Db db(String[] args) {
        return args.length > 1 ? Db.valueOf(args[1]) : Db.MARIADB;
    }

    private static void measure(int shops, int concurrency, Duration latency, Db db, boolean print) throws Exception {
        try (FerryHarness f = new FerryHarness(db, shops)) {
            f.with("ferry.sync." + SYNC + ".concurrency", String.valueOf(concurrency)).start();
            f.sandbox().wangdiantong().rateLimit(false);
            KingdeeSimulator kingdee = f.sandbox().kingdee();
            kingdee.batchSaveLatency(latency);
            long t0 = System.nanoTime();
            RunRecord run = f.runSync(SYNC);
            double secs = (System.nanoTime() - t0) / 1e9;
            if (!"succeeded".equals(run.status()) || run.written() != shops || kingdee.customers().size() != shops
                    || f.count("SELECT COUNT(*) FROM ferry_synced_key") != shops) {
                throw new IllegalStateException("run did not deliver exactly " + shops + " customers: " + run);
            }
            if (print) {
                double rate = shops / secs;
                double ideal = concurrency * BATCH / (latency.toMillis() / 1000.0);
                System.out.printf(Locale.ROOT, "%-12d %10.2f %10.1f %10.1f %8.2f %14d%n", concurrency, secs, rate, ideal,
                        rate / ideal, kingdee.maxConcurrentSaves());
            }
        }
    }
}
