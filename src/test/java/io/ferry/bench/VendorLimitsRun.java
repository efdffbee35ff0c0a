package io.ferry.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.ferry.FerryApp;
import io.ferry.sandbox.JellyFishSourceSimulator;
import io.ferry.sandbox.JellyFishTargetSimulator;
import io.ferry.sandbox.JsonApiSimulator;
import io.ferry.sandbox.JushuitanSimulator;
import io.ferry.sandbox.KingdeeSimulator;
import io.ferry.sandbox.WangdiantongSimulator;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;

/**
 * One shipped sync against its simulator(s) with the vendor's limits on, for {@link VendorLimitsBenchmark}: the
 * simulators and Ferry in this JVM, Ferry started from routes/ (the sync's file) with application.properties as
 * shipped (the clients' own limits at their defaults), the simulators' endpoints and credentials, and a fresh MariaDB
 * database for state and target. Timed from the sync's trigger to its end. Reports one {@code RESULT} line: the calls
 * the limited simulator answered and refused, its limits, the run and the rows counted in the target.
 * <p>
 * Arguments: sync records
 */
public final class VendorLimitsRun {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private VendorLimitsRun() {
    }

    public static void main(String[] args) throws Exception {
        String sync = args[0];
        int n = Integer.parseInt(args[1]);
        String db = Benchmark.createDatabase();
        try {
            BenchResult result = switch (sync) {
            case "jst-shops-to-mysql" -> jstShops(db, n);
            case "jst-orders-to-mysql" -> jstOrders(db, n);
            case "wdt-shops-to-kingdee-customers" -> wdtShops(db, n);
            case "wdt-trades-to-mysql" -> wdtTrades(db, n);
            case "jsonapi-orders-to-mysql" -> jsonApiOrders(db, n);
            case "kingdee-customers-to-mysql" -> kingdeeCustomers(db, n);
            case "jellyfish-a-to-b" -> jellyFish(db, n);
            default -> throw new IllegalArgumentException("not a shipped sync: " + sync);
            };
            result.put("variant", sync).put("sync", sync).emit();
        } finally {
            Benchmark.dropDatabase(db);
        }
        System.exit(0);
    }

    private static BenchResult jstShops(String db, int n) throws Exception {
        String key = "bench-app";
        String secret = Benchmark.random();
        String token = Benchmark.random();
        try (JushuitanSimulator jst = jushuitan(key, secret, token, n)) {
            jst.start();
            Map<String, String> p = properties("jst-shops-to-mysql", db);
            jushuitan(p, jst, key, secret, token);
            BenchResult r = new BenchResult();
            RunRecord run = run(p, "jst-shops-to-mysql", n, r);
            long refused = jst.rateLimitAnswers();
            return jstLimits(r, jst.requests() - refused, refused)
                    .put("checks", checks(run, n, db, Map.of("SELECT COUNT(*) FROM bi_shop", (long) n)));
        }
    }

    private static BenchResult jstOrders(String db, int n) throws Exception {
        String key = "bench-app";
        String secret = Benchmark.random();
        String token = Benchmark.random();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant start = now.minus(Duration.ofDays(30));
        try (JushuitanSimulator jst = jushuitan(key, secret, token, 0)) {
            // never changed: each order is read once, and N orders with their items are exactly what is written
            jst.orders().generate(20261201L, n, start, now.minusSeconds(60), 0, Duration.ZERO);
            long items = jst.orders().current(now).stream().mapToLong(o -> ((List<?>) o.get("items")).size()).sum();
            jst.start();
            Map<String, String> p = properties("jst-orders-to-mysql", db);
            jushuitan(p, jst, key, secret, token);
            p.put("ferry.sync.jst-orders-to-mysql.window-start", iso(start));
            BenchResult r = new BenchResult();
            RunRecord run = run(p, "jst-orders-to-mysql", n, r);
            Map<String, Long> expected = new LinkedHashMap<>();
            expected.put("SELECT COUNT(*) FROM bi_order", (long) n);
            expected.put("SELECT COUNT(*) FROM bi_order_item", items);
            return jstLimits(r, jst.orders().queries(), jst.rateLimitAnswers()).put("checks", checks(run, n, db, expected));
        }
    }

    private static BenchResult wdtShops(String db, int n) throws Exception {
        Kingdee kd = new Kingdee();
        try (WangdiantongSimulator wdt = wangdiantong(n); KingdeeSimulator kingdee = kd.simulator) {
            wdt.start();
            kingdee.start();
            Map<String, String> p = properties("wdt-shops-to-kingdee-customers", db);
            wangdiantong(p, wdt);
            kd.properties(p);
            BenchResult r = new BenchResult();
            RunRecord run = run(p, "wdt-shops-to-kingdee-customers", n, r);
            String checks = checks(run, n, db, Map.of());
            if (checks.equals("ok") && kingdee.customers().size() != n) {
                checks = "Kingdee holds " + kingdee.customers().size() + " customers, not " + n;
            }
            return wdtLimits(r, wdt, wdt.pagesAsked().size()).put("checks", checks).put("otherCalls",
                    kingdee.batchSaveCalls() + " Kingdee BatchSaves (no published limit)");
        }
    }

    private static BenchResult wdtTrades(String db, int n) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant start = now.minus(Duration.ofHours(6));
        try (WangdiantongSimulator wdt = wangdiantong(0)) {
            wdt.trades().generate(20261202L, n, start, now.minusSeconds(60), 0, Duration.ZERO);
            long lines = wdt.trades().current(now).stream().mapToLong(t -> ((List<?>) t.get("detail_list")).size()).sum();
            wdt.start();
            Map<String, String> p = properties("wdt-trades-to-mysql", db);
            wangdiantong(p, wdt);
            p.put("ferry.sync.wdt-trades-to-mysql.window-start", iso(start));
            BenchResult r = new BenchResult();
            RunRecord run = run(p, "wdt-trades-to-mysql", n, r);
            Map<String, Long> expected = new LinkedHashMap<>();
            expected.put("SELECT COUNT(*) FROM bi_trade", (long) n);
            expected.put("SELECT COUNT(*) FROM bi_trade_line", lines);
            return wdtLimits(r, wdt, wdt.trades().asked().size()).put("checks", checks(run, n, db, expected));
        }
    }

    private static BenchResult jsonApiOrders(String db, int n) throws Exception {
        String token = Benchmark.random();
        try (JsonApiSimulator api = new JsonApiSimulator(token, n).rateLimit(VendorLimitsBenchmark.JSON_API_PER_SECOND)) {
            api.start();
            Map<String, String> p = properties("jsonapi-orders-to-mysql", db);
            p.put("ferry.sync.jsonapi-orders-to-mysql.url", api.url() + JsonApiSimulator.BY_CURSOR);
            p.put("ferry.sync.jsonapi-orders-to-mysql.token", token);
            BenchResult r = new BenchResult();
            RunRecord run = run(p, "jsonapi-orders-to-mysql", n, r);
            long refused = api.tooManyRequestsAnswers();
            return limits(r, api.requests() - refused, refused, VendorLimitsBenchmark.JSON_API_PER_SECOND, 0, 0)
                    .put("limitNote", "set for the benchmark: the sync's own requests-per-second")
                    .put("checks", checks(run, n, db, Map.of("SELECT COUNT(*) FROM bi_api_order", (long) n)));
        }
    }

    private static BenchResult kingdeeCustomers(String db, int n) throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant start = now.minus(Duration.ofDays(30));
        Kingdee kd = new Kingdee();
        try (KingdeeSimulator kingdee = kd.simulator) {
            Random random = new Random(20261203L);
            long span = Duration.between(start, now.minus(Duration.ofHours(1))).toSeconds();
            for (int i = 1; i <= n; i++) {
                LocalDateTime at = LocalDateTime.ofInstant(start.plusSeconds(Math.floorMod(random.nextLong(), span)), CHINA);
                Map<String, Object> customer = new LinkedHashMap<>();
                customer.put("FNumber", String.format("CUST%06d", i));
                customer.put("FName", "客户" + i);
                customer.put("FShortName", "客户" + i);
                customer.put("FCreateOrgId", Map.of("FNumber", "100"));
                customer.put("FUseOrgId", Map.of("FNumber", "100"));
                customer.put("FCreateDate", at);
                customer.put("FModifyDate", at);
                kingdee.preSave(KingdeeSimulator.FORM, customer);
            }
            kingdee.start();
            Map<String, String> p = properties("kingdee-customers-to-mysql", db);
            kd.properties(p);
            p.put("ferry.sync.kingdee-customers-to-mysql.window-start", iso(start));
            BenchResult r = new BenchResult();
            RunRecord run = run(p, "kingdee-customers-to-mysql", n, r);
            return limits(r, kingdee.queries(), 0, 0, 0, 0).put("limitNote", "Kingdee publishes no limit")
                    .put("checks", checks(run, n, db, Map.of("SELECT COUNT(*) FROM bi_kingdee_customer", (long) n)));
        }
    }

    private static BenchResult jellyFish(String db, int n) throws Exception {
        try (JellyFishSourceSimulator a = new JellyFishSourceSimulator(n, 100); JellyFishTargetSimulator b = new JellyFishTargetSimulator()) {
            a.start();
            b.start();
            Map<String, String> p = properties("jellyfish-a-to-b", db);
            p.put("ferry.sync.jellyfish-a-to-b.pull-url", a.url() + JellyFishSourceSimulator.PATH);
            p.put("ferry.sync.jellyfish-a-to-b.push-url", b.url() + JellyFishTargetSimulator.PATH);
            BenchResult r = new BenchResult();
            RunRecord run = run(p, "jellyfish-a-to-b", n, r);
            String checks = checks(run, n, db, Map.of());
            if (checks.equals("ok") && (b.acceptedIds().size() != n || !b.duplicates().isEmpty())) {
                checks = "B took " + b.acceptedIds().size() + " records (" + b.duplicates().size() + " twice), not " + n;
            }
            return limits(r, a.requestsReceived().size(), 0, 0, 0, 0).put("limitNote", "JellyFish publishes no limit")
                    .put("checks", checks).put("otherCalls", b.totalCalls() + " pushes to B (no published limit)");
        }
    }

    // ---- shared ----

    /** Ferry's properties for one sync: application.properties decides everything but where the systems are. */
    private static Map<String, String> properties(String sync, String db) {
        Map<String, String> p = new HashMap<>();
        p.put("ferry.schedules.enabled", "false");
        // the measured sync alone: the other syncs' routes would need their vendors' credentials
        p.put("camel.main.routes-include-pattern",
                "file:routes/ferry-sync.yaml,file:routes/ferry-templates.yaml,file:routes/" + sync + ".yaml");
        p.put("ferry.state.url", Benchmark.SERVER + db + Benchmark.URL_OPTIONS);
        p.put("ferry.state.username", "root");
        p.put("ferry.state.password", "");
        p.put("ferry.bi.url", "");
        // ports of their own: other work on the machine may hold the defaults
        p.put("ferry.management.port", String.valueOf(FerryHarness.freePort()));
        // the simulators' credentials are made up for this run and handed over as plain values
        p.put("camel.security.secret-policy", "allow");
        return p;
    }

    /** Jushuitan's published limits: 5 calls in any second, 100 in any minute per app. */
    private static JushuitanSimulator jushuitan(String key, String secret, String token, int shops) {
        return new JushuitanSimulator(key, secret, token, shops).rateLimit(VendorLimitsBenchmark.JST_PER_SECOND,
                VendorLimitsBenchmark.JST_PER_MINUTE);
    }

    private static BenchResult jstLimits(BenchResult r, long answered, long refused) {
        return limits(r, answered, refused, VendorLimitsBenchmark.JST_PER_SECOND, VendorLimitsBenchmark.JST_PER_MINUTE, 0)
                .put("limitNote", "Jushuitan's published limits");
    }

    private static void jushuitan(Map<String, String> p, JushuitanSimulator jst, String key, String secret, String token) {
        p.put("camel.component.jushuitan.base-url", jst.url());
        p.put("camel.component.jushuitan.app-key", key);
        p.put("camel.component.jushuitan.app-secret", secret);
        p.put("camel.component.jushuitan.access-token", token);
    }

    private static final String WDT_SECRET = Benchmark.random() + ":" + Benchmark.random().substring(0, 8);

    /** The simulator's own limits: 300 calls in any minute, 5 in flight at once (the vendor publishes none). */
    private static WangdiantongSimulator wangdiantong(int shops) {
        return new WangdiantongSimulator("bench-sid", "bench-wdt", WDT_SECRET, "bench-qimen", "qimen-secret", "bench-target", shops)
                .rateLimit(VendorLimitsBenchmark.WDT_PER_MINUTE).concurrencyLimit(VendorLimitsBenchmark.WDT_IN_FLIGHT);
    }

    private static void wangdiantong(Map<String, String> p, WangdiantongSimulator wdt) {
        p.put("camel.component.wangdiantong.base-url", wdt.url());
        p.put("camel.component.wangdiantong.qimen-url", wdt.url() + WangdiantongSimulator.QIMEN_PATH);
        p.put("camel.component.wangdiantong.sid", "bench-sid");
        p.put("camel.component.wangdiantong.app-key", "bench-wdt");
        p.put("camel.component.wangdiantong.app-secret", WDT_SECRET);
        p.put("camel.component.wangdiantong.qimen-app-key", "bench-qimen");
        p.put("camel.component.wangdiantong.qimen-secret", "qimen-secret");
        p.put("camel.component.wangdiantong.target-app-key", "bench-target");
    }

    private static BenchResult wdtLimits(BenchResult r, WangdiantongSimulator wdt, long answered) {
        return limits(r, answered, wdt.rateLimitAnswers(), 0, VendorLimitsBenchmark.WDT_PER_MINUTE, VendorLimitsBenchmark.WDT_IN_FLIGHT)
                .put("refusedInFlight", wdt.concurrencyLimitAnswers()).put("mostInFlight", wdt.mostInFlight())
                .put("limitNote", "the simulator's: Wangdiantong publishes no numbers");
    }

    /** A Kingdee simulator with fresh credentials, and the properties that log Ferry in to it by signature. */
    private static final class Kingdee {
        final String acct = Benchmark.random().substring(0, 24);
        final String password = Benchmark.random();
        final String appId = "bench_" + Benchmark.random().substring(0, 12);
        final String appSecret = Benchmark.random();
        final KingdeeSimulator simulator = new KingdeeSimulator(acct, "ferry", password, appId, appSecret);

        void properties(Map<String, String> p) {
            p.put("camel.component.kingdee.base-url", simulator.baseUrl());
            p.put("camel.component.kingdee.acct-id", acct);
            p.put("camel.component.kingdee.username", "ferry");
            p.put("camel.component.kingdee.password", password);
            p.put("camel.component.kingdee.app-id", appId);
            p.put("camel.component.kingdee.app-secret", appSecret);
            p.put("camel.component.kingdee.login-method", "sign");
        }
    }

    /** Starts Ferry (not measured), runs the sync once (measured) and stops Ferry. */
    private static RunRecord run(Map<String, String> p, String sync, long records, BenchResult r) throws Exception {
        try (FerryApp app = new FerryApp(p).start()) {
            StatementCounter.reset();
            try (HeapWatch heap = HeapWatch.start()) {
                long t0 = System.nanoTime();
                RunRecord run = app.runSync(sync);
                long nanos = System.nanoTime() - t0;
                r.put("status", run.status()).put("pages", run.pages()).put("read", run.read()).put("written", run.written())
                        .put("skipped", run.skipped()).put("failed", run.failed()).measured(records, nanos, heap);
                return run;
            }
        }
    }

    private static BenchResult limits(BenchResult r, long answered, long refused, int perSecond, int perMinute, int inFlight) {
        return r.put("answered", answered).put("refused", refused).put("perSecond", perSecond).put("perMinute", perMinute)
                .put("inFlight", inFlight);
    }

    /** "ok", or the first thing that is not as it must be: the run, its marks and the target's rows, exactly. */
    private static String checks(RunRecord run, long n, String db, Map<String, Long> expected) throws Exception {
        if (!"succeeded".equals(run.status())) {
            return "the run ended " + run.status() + ": " + run.error();
        }
        if (run.written() != n) {
            return "the run wrote " + run.written() + ", not " + n;
        }
        long marked = Benchmark.count(db, "SELECT COUNT(*) FROM ferry_synced_key");
        if (marked != n) {
            return marked + " keys marked, not " + n;
        }
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            long rows = Benchmark.count(db, e.getKey());
            if (rows != e.getValue()) {
                return e.getKey() + " = " + rows + ", not " + e.getValue();
            }
        }
        return "ok";
    }

    private static String iso(Instant t) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atOffset(ZoneOffset.ofHours(8)));
    }
}
