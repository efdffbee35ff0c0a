package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.ferry.sandbox.KingdeeSimulator;
import io.ferry.sandbox.WangdiantongSimulator;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** routes/wdt-shops-to-kingdee-customers.yaml end to end on MariaDB, with either Wangdiantong style. */
class WdtShopsToKingdeeCustomersTest {

    private static final String SYNC = "wdt-shops-to-kingdee-customers";

    @ParameterizedTest
    @ValueSource(strings = { "direct", "qimen" })
    void everyShopBecomesOneCustomerAndIsNeverSyncedAgain(String style) throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 230)) {
            f.with("camel.component.wangdiantong.style", style)
                    .with("ferry.sync.wdt-shops-to-kingdee-customers.concurrency", "1").start();
            f.sandbox().wangdiantong().rateLimit(false);
            KingdeeSimulator kingdee = f.sandbox().kingdee();
            // a crash between save and mark in an earlier life: shop 3 already exists in Kingdee
            String no3 = (String) WangdiantongSimulator.shop(3).get("shop_no");
            long id3 = kingdee.preSave(no3, (String) WangdiantongSimulator.shop(3).get("shop_name"));

            RunRecord first = f.runSync(SYNC);
            assertThat(first.status()).isEqualTo("succeeded");
            assertThat(first.pages()).isEqualTo(5); // pages of 50: 50+50+50+50+30
            assertThat(first.written()).isEqualTo(230);
            assertThat(first.failed()).isZero();
            assertThat(kingdee.customers()).hasSize(230);
            assertThat(kingdee.batchSaveCalls()).isEqualTo(12); // 11 batches of 20 and the last 10
            String ref3 = f.sql().queryOne("SELECT target_ref FROM ferry_synced_key WHERE record_key = ?", rs -> rs.getString(1), no3);
            assertThat(ref3).isEqualTo(String.valueOf(id3));
            // the mapping: name, number, the organisations as {"FNumber": "100"}
            var c = kingdee.customer((String) WangdiantongSimulator.shop(7).get("shop_no"));
            assertThat(c.get("FName")).isEqualTo(WangdiantongSimulator.shop(7).get("shop_name"));
            assertThat(String.valueOf(c.get("FCreateOrgId"))).contains("100");

            RunRecord second = f.runSync(SYNC);
            assertThat(second.status()).isEqualTo("succeeded");
            assertThat(second.skipped()).isEqualTo(230);
            assertThat(second.written()).isZero();
            assertThat(kingdee.batchSaveCalls()).isEqualTo(12);

            f.sandbox().wangdiantong().addShops(25);
            RunRecord third = f.runSync(SYNC);
            assertThat(third.written()).isEqualTo(25);
            assertThat(kingdee.customers()).hasSize(255);
        }
    }

    @org.junit.jupiter.api.Test
    void concurrentBatchSavesStillMarkOnlyConfirmedRows() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 400)) {
            f.with("ferry.sync.wdt-shops-to-kingdee-customers.concurrency", "4").start();
            f.sandbox().wangdiantong().rateLimit(false);
            KingdeeSimulator kingdee = f.sandbox().kingdee();
            kingdee.batchSaveLatency(java.time.Duration.ofMillis(300));
            String rejected = (String) WangdiantongSimulator.shop(123).get("shop_no");
            kingdee.rejectNumber(rejected);
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.written()).isEqualTo(399);
            assertThat(run.failed()).isEqualTo(1);
            assertThat(kingdee.maxConcurrentSaves()).isEqualTo(4);
            assertThat(kingdee.customers()).hasSize(399);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key")).isEqualTo(399);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key WHERE record_key = '" + rejected + "'")).isZero();
            assertThat(f.state().deadLetters().open(SYNC)).singleElement().satisfies(d -> assertThat(d.key()).isEqualTo(rejected));
            // every marked key has its Kingdee Id
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key WHERE target_ref IS NULL")).isZero();
        }
    }

    @org.junit.jupiter.api.Test
    void aSinkFailureWithBatchesInFlightFailsTheRunAndKeepsWhatWasConfirmed() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 400)) {
            f.with("ferry.sync.wdt-shops-to-kingdee-customers.concurrency", "4").start();
            f.sandbox().wangdiantong().rateLimit(false);
            KingdeeSimulator kingdee = f.sandbox().kingdee();
            kingdee.batchSaveLatency(java.time.Duration.ofMillis(100));
            RunRecord first = f.runSync(SYNC);
            assertThat(first.written()).isEqualTo(400);
            // new shops while Kingdee is down for longer than the retries
            f.sandbox().wangdiantong().addShops(200);
            kingdee.failNextCalls(1000);
            RunRecord failed = f.runSync(SYNC);
            assertThat(failed.status()).isEqualTo("failed");
            // whatever Kingdee saved before it went down is marked, and nothing more
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key")).isEqualTo(kingdee.customers().size());
            kingdee.failNextCalls(0);
            RunRecord next = f.runSync(SYNC);
            assertThat(next.status()).isEqualTo("succeeded");
            assertThat(kingdee.customers()).hasSize(600);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key")).isEqualTo(600);
        }
    }

    /**
     * A password Kingdee refuses, with the sync's defaults (5 redeliveries, 2 BatchSaves in flight): one ValidateUser
     * per run, the run failed with Kingdee's message and the properties to check, no row blamed. The next run tries
     * once more; with the right password it delivers everything.
     */
    @org.junit.jupiter.api.Test
    void aRefusedPasswordCostsOneLoginPerRunAndFailsTheRunNamingThePropertiesToCheck() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 120)) {
            String password = f.sandbox().properties().get("camel.component.kingdee.password");
            f.with("camel.component.kingdee.login-method", "password").with("camel.component.kingdee.password", "not-the-password")
                    .with("ferry.retry.max-redeliveries", "5").start();
            f.sandbox().wangdiantong().rateLimit(false);
            KingdeeSimulator kingdee = f.sandbox().kingdee();

            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("failed");
            assertThat(kingdee.failedLogins()).isEqualTo(1);
            assertThat(kingdee.logins()).isZero();
            assertThat(kingdee.batchSaveCalls()).isZero();
            assertThat(run.error()).contains("ValidateUser refused the login").contains("用户名或密码错误")
                    .contains("camel.component.kingdee.username (FERRY_KINGDEE_USERNAME)")
                    .contains("camel.component.kingdee.password (FERRY_KINGDEE_PASSWORD)")
                    .doesNotContain("not-the-password");
            assertThat(f.count("SELECT COUNT(*) FROM ferry_dead_letter")).isZero();
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key")).isZero();

            assertThat(f.runSync(SYNC).status()).isEqualTo("failed");
            assertThat(kingdee.failedLogins()).isEqualTo(2);

            f.with("camel.component.kingdee.password", password).restart();
            RunRecord fixed = f.runSync(SYNC);
            assertThat(fixed.status()).isEqualTo("succeeded");
            assertThat(fixed.written()).isEqualTo(120);
            assertThat(kingdee.logins()).isEqualTo(1);
            assertThat(kingdee.failedLogins()).isEqualTo(2);
        }
    }
}
