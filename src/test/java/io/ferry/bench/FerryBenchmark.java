package io.ferry.bench;

import java.util.HashMap;
import java.util.Map;

import io.ferry.FerryApp;
import io.ferry.state.RunRepository.RunRecord;

/**
 * Runs of one of Ferry's own routes, jst-shops-to-mysql unless named (routes/*.yaml, application.properties, FerryApp; working
 * directory: the project) against the simulator, one after the other in one running Ferry, each timed from the
 * sync's trigger to its end and reported on its own. Camel's start is outside the measurement, each run's own state
 * work (run row, dedup, marks, the last flush) is inside.
 * <p>
 * Arguments: variants (comma-separated, one run each) simulatorUrl appKey appSecret accessToken jdbcUrl [sync
 * [property=value ...]]; the properties are set last, over the defaults below (the orders benchmark turns the
 * client's rate limit back on with them). System property bench.batch: the sync's batch size
 * (ferry.sync.&lt;sync&gt;.batch-size), the same as {@link HandWrittenBenchmark}'s; unset, the shipped one.
 */
public final class FerryBenchmark {

    static final String SYNC = "jst-shops-to-mysql";

    private FerryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String sync = args.length > 6 ? args[6] : SYNC;
        Map<String, String> p = new HashMap<>();
        p.put("ferry.schedules.enabled", "false");
        // the measured sync alone: the other syncs' routes would need their vendors' credentials
        p.put("camel.main.routes-include-pattern", "file:routes/ferry-sync.yaml,file:routes/ferry-templates.yaml,file:routes/" + sync + ".yaml");
        p.put("camel.component.jushuitan.base-url", args[1]);
        p.put("camel.component.jushuitan.app-key", args[2]);
        p.put("camel.component.jushuitan.app-secret", args[3]);
        p.put("camel.component.jushuitan.access-token", args[4]);
        // the simulator's rate limit is off; so is the client's, which would otherwise hold calls to 100/min
        p.put("camel.component.jushuitan.requests-per-second", "0");
        p.put("camel.component.jushuitan.requests-per-minute", "0");
        p.put("ferry.state.url", args[5]);
        p.put("ferry.state.username", "root");
        p.put("ferry.state.password", "");
        p.put("ferry.bi.url", "");
        String batch = System.getProperty(HandWrittenBenchmark.BATCH_PROPERTY);
        if (batch != null) {
            p.put("ferry.sync." + sync + ".batch-size", batch);
        }
        for (int i = 7; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            p.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        FerryApp app = new FerryApp(p).start();
        try {
            for (String variant : args[0].split(",")) {
                // what the run before left behind is not this run's heap
                System.gc();
                Thread.sleep(500); // the collection's notification is delivered late; it must not reach this run's watch
                StatementCounter.reset();
                HeapWatch heap = HeapWatch.start();
                long t0 = System.nanoTime();
                RunRecord run = app.runSync(sync);
                long nanos = System.nanoTime() - t0;
                new BenchResult().put("variant", variant).put("status", run.status()).put("pages", run.pages())
                        .put("read", run.read()).put("written", run.written()).put("skipped", run.skipped())
                        .put("failed", run.failed()).measured(run.read(), nanos, heap).emit();
                heap.close();
            }
        } finally {
            app.close();
        }
        System.exit(0);
    }
}
