package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ferry.state.DeadLetterRepository.DeadLetter;
import io.ferry.state.DeadLetterRepository.Stage;
import io.ferry.sandbox.JushuitanSimulator;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * What happens to bad input and failing targets in jst-shops-to-mysql: each case ends with a clear error in the
 * run record or the dead-letter table, nothing delivered is lost, and the next run is not blocked.
 */
class JstFailureModesTest {

    private static final String SYNC = "jst-shops-to-mysql";

    private static FerryHarness harness(int shops) throws Exception {
        FerryHarness f = new FerryHarness(Db.MARIADB, shops).start();
        f.sandbox().jushuitan().rateLimit(false);
        return f;
    }

    @Test
    void aFailingBatchLeavesItsKeysUnmarkedAndTheNextRunWritesThem() throws Exception {
        // one batch at a time, so that which batches were confirmed before the failure is exact
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 100).with("ferry.sync.jst-shops-to-mysql.concurrency", "1").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            // the target refuses shop 10000045 with a serialization failure (SQLSTATE 40001: transient) until told otherwise
            exec(f, "CREATE TABLE fault (on_off INT)");
            exec(f, "INSERT INTO fault VALUES (1)");
            exec(f, "CREATE TRIGGER bi_shop_fault BEFORE INSERT ON bi_shop FOR EACH ROW "
                    + "IF NEW.shop_id = 10000045 AND (SELECT on_off FROM fault) = 1 THEN "
                    + "SIGNAL SQLSTATE '40001' SET MESSAGE_TEXT = 'injected deadlock'; END IF");
            RunRecord failed = f.runSync(SYNC);
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(failed.error()).contains("injected deadlock");
            // batches 1 and 2 (shops 0–39) were confirmed and marked; batch 3 (40–59) failed and is not marked
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key")).isEqualTo(40);
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(40);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key WHERE record_key = '10000045'")).isZero();
            assertThat(f.count("SELECT COUNT(*) FROM ferry_dead_letter")).isZero();

            exec(f, "UPDATE fault SET on_off = 0");
            RunRecord next = f.runSync(SYNC);
            assertThat(next.status()).isEqualTo("succeeded");
            assertThat(next.skipped()).isEqualTo(40);
            assertThat(next.written()).isEqualTo(60);
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(100);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key")).isEqualTo(100);
        }
    }

    /**
     * With batches written on other threads, confirmed keys are marked in the background too. A mark that fails there
     * fails the run like a mark on the run's thread: the rows it covered are in the target but not marked, and the
     * next run writes them again (an upsert) and marks them; nothing is lost or duplicated.
     */
    @Test
    void aMarkThatFailsInTheBackgroundFailsTheRunAndTheNextRunMarksItsRows() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 300).with("ferry.sync.jst-shops-to-mysql.concurrency", "4")
                .with("ferry.sync.jst-shops-to-mysql.mark-every", "100").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            exec(f, "CREATE TRIGGER mark_fault BEFORE INSERT ON ferry_synced_key FOR EACH ROW "
                    + "IF NEW.record_key = '10000150' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected mark failure'; END IF");
            RunRecord failed = f.runSync(SYNC);
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(failed.error()).contains("could not be marked").contains("injected mark failure");
            long marked = f.count("SELECT COUNT(*) FROM ferry_synced_key");
            // the group of 100 with shop 150 is not marked; every marked key is in the target
            assertThat(marked).isLessThanOrEqualTo(200);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key WHERE record_key = '10000150'")).isZero();
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key k WHERE NOT EXISTS "
                    + "(SELECT 1 FROM bi_shop b WHERE b.shop_id = CAST(k.record_key AS UNSIGNED))")).isZero();
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isGreaterThanOrEqualTo(200);

            exec(f, "DROP TRIGGER mark_fault");
            RunRecord next = f.runSync(SYNC);
            assertThat(next.status()).isEqualTo("succeeded");
            assertThat(next.skipped()).isEqualTo((int) marked);
            assertThat(next.written()).isEqualTo(300 - (int) marked);
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(300);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key")).isEqualTo(300);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_dead_letter")).isZero();
        }
    }

    /** Optional fields that are missing, null or empty are NULL columns, not a row the sink cannot bind. */
    @Test
    void missingOrEmptyOptionalFieldsAreWrittenAsNull() throws Exception {
        try (FerryHarness f = harness(30)) {
            Map<String, Object> sparse = JushuitanSimulator.shop(11);
            sparse.put("created", "");
            sparse.remove("session_expired");
            sparse.put("co_id", null);
            sparse.remove("group_id");
            sparse.put("nick", "");
            f.sandbox().jushuitan().overrideShop(11, sparse);
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.written()).isEqualTo(30);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_dead_letter")).isZero();
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop WHERE shop_id = 10000011 AND created_at IS NULL AND session_expired IS NULL "
                    + "AND co_id IS NULL AND group_id IS NULL AND nick IS NULL")).isEqualTo(1);
        }
    }

    @Test
    void aRowTheTargetRejectsIsDeadLetteredAndTheRestOfItsBatchIsWritten() throws Exception {
        try (FerryHarness f = harness(50)) {
            Map<String, Object> tooLong = JushuitanSimulator.shop(7);
            tooLong.put("shop_name", "长".repeat(300)); // bi_shop.shop_name is VARCHAR(200)
            f.sandbox().jushuitan().overrideShop(7, tooLong);
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.written()).isEqualTo(49);
            assertThat(run.failed()).isEqualTo(1);
            List<DeadLetter> dead = f.state().deadLetters().open(SYNC);
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.key()).isEqualTo("10000007");
                assertThat(d.stage()).isEqualTo(Stage.SINK);
                assertThat(d.errorMessage()).containsIgnoringCase("too long");
                assertThat(d.payload()).contains("\"shop_id\":10000007");
            });
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(49);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key WHERE record_key = '10000007'")).isZero();

            // once the source sends an acceptable name, the next run delivers it and closes its dead letter
            f.sandbox().jushuitan().clearShopOverrides();
            RunRecord next = f.runSync(SYNC);
            assertThat(next.written()).isEqualTo(1);
            assertThat(f.state().deadLetters().open(SYNC)).isEmpty();
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(50);
        }
    }

    @Test
    void aRecordWithoutItsKeyIsDeadLetteredAndTheRunGoesOn() throws Exception {
        try (FerryHarness f = harness(30)) {
            Map<String, Object> keyless = JushuitanSimulator.shop(5);
            keyless.remove("shop_id");
            f.sandbox().jushuitan().overrideShop(5, keyless);
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.read()).isEqualTo(30);
            assertThat(run.written()).isEqualTo(29);
            assertThat(run.failed()).isEqualTo(1);
            assertThat(f.state().deadLetters().open(SYNC)).singleElement().satisfies(d -> {
                assertThat(d.key()).isNull();
                assertThat(d.stage()).isEqualTo(Stage.RECORD);
                assertThat(d.errorMessage()).isEqualTo("record has no shop_id");
                assertThat(d.payload()).contains("聚水潭测试店铺5");
            });
        }
    }

    @Test
    void aRecordTheMappingFailsOnIsDeadLetteredWithTheMappingsMessage() throws Exception {
        try (FerryHarness f = harness(30)) {
            Map<String, Object> badDate = JushuitanSimulator.shop(3);
            badDate.put("created", "yesterday");
            f.sandbox().jushuitan().overrideShop(3, badDate);
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.written()).isEqualTo(29);
            assertThat(run.failed()).isEqualTo(1);
            assertThat(f.state().deadLetters().open(SYNC)).singleElement().satisfies(d -> {
                assertThat(d.key()).isEqualTo("10000003");
                assertThat(d.stage()).isEqualTo(Stage.RECORD);
                assertThat(d.errorMessage()).contains("routes/mappings/jst-shop-to-bi.jsonata").contains("created is not a time: 'yesterday'")
                        .contains("shop_id=10000003");
            });
        }
    }

    @Test
    void aMalformedJsonPageFailsTheRunKeepsThePageAndLosesNothing() throws Exception {
        try (FerryHarness f = harness(250)) {
            String broken = "{\"code\":0,\"msg\":\"ok\",\"data\":{\"datas\":[{\"shop_id\":10000100,\"shop_name\":\"x\"";
            f.sandbox().jushuitan().overridePage(2, 200, "application/json", broken);
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("failed");
            assertThat(run.error()).contains("malformed JSON").contains("/open/shops/query");
            assertThat(run.written()).isEqualTo(100);
            assertThat(f.state().deadLetters().open(SYNC)).singleElement().satisfies(d -> {
                assertThat(d.stage()).isEqualTo(Stage.PAGE);
                assertThat(d.payload()).isEqualTo(broken);
            });

            // the same page is broken for the next run too: the page stays open, kept once
            RunRecord again = f.runSync(SYNC);
            assertThat(again.status()).isEqualTo("failed");
            assertThat(f.state().deadLetters().open(SYNC)).singleElement().satisfies(d -> assertThat(d.attempts()).isEqualTo(2));
            long page = f.state().deadLetters().open(SYNC).get(0).id();

            f.sandbox().jushuitan().clearPageOverrides();
            RunRecord next = f.runSync(SYNC);
            assertThat(next.status()).isEqualTo("succeeded");
            assertThat(next.written()).isEqualTo(150);
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(250);
            // the run that read the source to its end read that page: its dead letter is closed
            assertThat(f.state().deadLetters().open(SYNC)).isEmpty();
            assertThat(f.state().deadLetters().find(page).status()).isEqualTo("resolved");
            assertThat(f.state().deadLetters().find(page).resolution()).isEqualTo("run " + next.id() + " read the source to its end");
        }
    }

    @Test
    void anHtmlErrorPageFailsTheRunWithAClearMessage() throws Exception {
        try (FerryHarness f = harness(150)) {
            f.sandbox().jushuitan().overridePage(2, 200, "text/html; charset=utf-8", "<html><body><h1>系统维护中</h1></body></html>");
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("failed");
            assertThat(run.error()).contains("text/html").contains("not the API's JSON").contains("系统维护中");
            assertThat(run.written()).isEqualTo(100);

            // a gateway's 502 page is transient: retried, then the run fails saying so
            f.sandbox().jushuitan().overridePage(2, 502, "text/html", "<html>502 Bad Gateway</html>");
            long before = f.sandbox().jushuitan().requests();
            RunRecord gateway = f.runSync(SYNC);
            assertThat(gateway.status()).isEqualTo("failed");
            assertThat(gateway.error()).contains("HTTP 502");
            // the run starts at page 2, where the last one stopped: page 2 three times (two redeliveries in tests)
            assertThat(f.sandbox().jushuitan().requests() - before).isEqualTo(3);

            f.sandbox().jushuitan().clearPageOverrides();
            assertThat(f.runSync(SYNC).written()).isEqualTo(50);
        }
    }

    @Test
    void aPageServedTwiceStopsPagingWithAWarning() throws Exception {
        try (FerryHarness f = harness(1000)) {
            // a source that ignores page_index from page 3 on: it serves page 2 again
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("page_index", 2);
            data.put("has_next", true);
            List<Map<String, Object>> page2 = new java.util.ArrayList<>();
            for (int i = 100; i < 200; i++) {
                page2.add(JushuitanSimulator.shop(i));
            }
            data.put("datas", page2);
            String body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("code", 0, "msg", "ok", "data", data));
            f.sandbox().jushuitan().overridePage(2, 200, "application/json", body);
            f.sandbox().jushuitan().overridePage(3, 200, "application/json", body);
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.pages()).isEqualTo(3);
            assertThat(run.written()).isEqualTo(200);
            assertThat(run.error()).contains("page 3 repeats the page before it");
        }
    }

    private static void exec(FerryHarness f, String sql) throws Exception {
        try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
