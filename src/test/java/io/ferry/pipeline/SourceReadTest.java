package io.ferry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.ferry.http.ApiCall;
import io.ferry.pipeline.SourceRead.Item;
import io.ferry.pipeline.SourceRead.KnownKeys;
import io.ferry.pipeline.SourceRead.Page;
import io.ferry.pipeline.SourceRead.Reading;
import io.ferry.pipeline.SourceRead.Start;
import io.ferry.pipeline.SourceRead.Verdict;
import io.ferry.sandbox.JushuitanSimulator;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * SourceRead on routes/jst-shops-to-mysql.yaml against the Jushuitan simulator and MariaDB: what it reads is what a
 * run then writes, what it skips a run skips, and it writes nothing (no run, no key, no dead letter, no API-call row).
 */
class SourceReadTest {

    private static final String SYNC = "jst-shops-to-mysql";

    @Test
    void readsWhatARunWritesAndSkipsWhatItSkipsWritingNothing() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 130).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            SourceRead reader = SourceRead.of(f.app().camel(), SYNC);
            assertThat(reader.sinkUri()).startsWith("sql:INSERT INTO bi_shop");
            assertThat(reader.batchSize()).isPositive();

            List<ApiCall> calls = new CopyOnWriteArrayList<>();
            List<Item> before = all(reader.read(Start.next(null, null), KnownKeys.of(f.state(), SYNC), calls::add, SourceRead.ALL));
            assertThat(before).hasSize(130).allMatch(i -> i.verdict() == Verdict.WRITE);
            assertThat(calls).hasSize(2).allMatch(c -> c.sync().equals(SYNC) && c.direction().equals("pull"));
            Thread.sleep(600); // the API-call log writes in the background: give a wrongly logged call time to arrive
            assertThat(f.count("SELECT COUNT(*) FROM ferry_api_call")).isZero();
            assertThat(f.count("SELECT COUNT(*) FROM ferry_run")).isZero();

            assertThat(f.runSync(SYNC).written()).isEqualTo(130);
            Map<String, String> target = new HashMap<>();
            f.sql().query("SELECT shop_id, shop_name, shop_url FROM bi_shop", rs -> target.put(rs.getString(1),
                    rs.getString(2) + "|" + rs.getString(3)));
            Map<String, String> read = new HashMap<>();
            for (Item i : before) {
                read.put(i.key(), i.row().get("shop_name") + "|" + i.row().get("shop_url"));
            }
            assertThat(read).isEqualTo(target);

            f.sandbox().jushuitan().addShops(5);
            // a record without its key is rejected with the reason a dead letter would give
            Map<String, Object> keyless = new LinkedHashMap<>(JushuitanSimulator.shop(3));
            keyless.remove("shop_id");
            f.sandbox().jushuitan().overrideShop(3, keyless);
            long calls0 = settledCount(f, "SELECT COUNT(*) FROM ferry_api_call"); // the run's calls are logged in the background
            long runs = f.count("SELECT COUNT(*) FROM ferry_run");
            long keys = f.count("SELECT COUNT(*) FROM ferry_synced_key");
            List<Item> after = all(reader.read(Start.next(null, null), KnownKeys.of(f.state(), SYNC), c -> { }, SourceRead.ALL));
            assertThat(after).hasSize(135);
            assertThat(after.stream().filter(i -> i.verdict() == Verdict.SKIP_SYNCED)).hasSize(129);
            assertThat(after.stream().filter(i -> i.verdict() == Verdict.WRITE).map(Item::key))
                    .containsExactly("10000130", "10000131", "10000132", "10000133", "10000134");
            assertThat(after.get(3).verdict()).isEqualTo(Verdict.REJECT_NO_KEY);
            assertThat(after.get(3).reason()).isEqualTo("record has no shop_id");
            // a skipped record still has its row, to compare with the target
            assertThat(after.get(0).row()).containsEntry("shop_name", "聚水潭测试店铺0");
            Thread.sleep(600);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_run")).isEqualTo(runs);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key")).isEqualTo(keys);
            assertThat(settledCount(f, "SELECT COUNT(*) FROM ferry_api_call")).isEqualTo(calls0);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_dead_letter")).isZero();

            // the limit cuts the first page; nothing as synced with KnownKeys.NONE
            Reading limited = reader.read(Start.beginning(), KnownKeys.NONE, c -> { }, 20);
            List<Item> twenty = all(limited);
            assertThat(twenty).hasSize(20).allMatch(i -> i.verdict() == Verdict.WRITE || i.verdict() == Verdict.REJECT_NO_KEY);
            assertThat(limited.limited()).isTrue();
            assertThat(limited.pages()).isEqualTo(1);

            assertThatThrownBy(() -> reader.read(Start.between(Instant.parse("2026-11-01T00:00:00Z"),
                    Instant.parse("2026-11-02T00:00:00Z")), KnownKeys.NONE, c -> { }, 10))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not read by time window");
            assertThatThrownBy(() -> reader.read(Start.beginning(), KnownKeys.NONE, c -> { }, 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SourceRead.of(f.app().camel(), "no-such-sync"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-sync");
        }
    }

    @Test
    void readsBesideARunOfTheSameSyncWithoutTouchingIt() throws Exception {
        String sync = "wdt-shops-to-kingdee-customers";
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 500).start()) {
            f.sandbox().wangdiantong().answerLatency(java.time.Duration.ofMillis(100));
            // the run's 25 batch saves outlast the read's 10 pages: the read goes on inside the run from start to end
            f.sandbox().kingdee().batchSaveLatency(java.time.Duration.ofMillis(200));
            java.util.concurrent.CompletableFuture<io.ferry.state.RunRepository.RunRecord> run =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> f.runSync(sync));
            while (!f.app().syncs().isRunning(sync)) {
                Thread.sleep(5);
            }
            List<ApiCall> calls = new CopyOnWriteArrayList<>();
            Reading reading = SourceRead.of(f.app().camel(), sync).read(Start.beginning(), KnownKeys.NONE, calls::add, SourceRead.ALL);
            List<Item> items = all(reading);
            assertThat(f.app().syncs().isRunning(sync)).as("the run was still going on when the read ended").isTrue();
            assertThat(items).hasSize(500).allMatch(i -> i.verdict() == Verdict.WRITE);
            assertThat(reading.readToEnd()).isTrue();
            assertThat(calls).hasSize(10);

            io.ferry.state.RunRepository.RunRecord done = run.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(done.status()).as(done.error()).isEqualTo("succeeded");
            assertThat(done.pages()).isEqualTo(10);
            assertThat(done.read()).isEqualTo(500);
            assertThat(done.written()).isEqualTo(500);
            // the run's own pages are in the API-call log, the read's are not
            assertThat(settledCount(f, "SELECT COUNT(*) FROM ferry_api_call WHERE direction = 'pull'")).isEqualTo(10);
        }
    }

    /** A count once it stays the same 400 ms apart (the API-call log writes within 200 ms of a call). */
    static long settledCount(FerryHarness f, String sql) throws InterruptedException {
        long n = f.count(sql);
        for (int i = 0; i < 20; i++) {
            Thread.sleep(400);
            long again = f.count(sql);
            if (again == n) {
                return n;
            }
            n = again;
        }
        throw new AssertionError(sql + " kept changing");
    }

    static List<Item> all(Reading reading) {
        List<Item> items = new ArrayList<>();
        for (Page p = reading.next(); p != null; p = reading.next()) {
            items.addAll(p.items());
        }
        return items;
    }
}
