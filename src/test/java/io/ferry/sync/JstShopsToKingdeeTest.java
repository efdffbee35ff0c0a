package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.ferry.http.ApiCall;
import io.ferry.http.ApiCallRecorder;
import io.ferry.sandbox.JushuitanSimulator;
import io.ferry.sandbox.KingdeeSimulator;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * The Kingdee sink end to end: Jushuitan shops (simulator) → ferry pipeline → kingdee:batchSave → the Kingdee
 * simulator, with state on MariaDB. The sync is the test route src/test/resources/routes-kingdee/.
 */
class JstShopsToKingdeeTest {

    private static final String SYNC = "jst-shops-to-kingdee";
    private static final String ROUTES = "file:routes/ferry-sync.yaml,file:routes/ferry-templates.yaml,file:src/test/resources/routes-kingdee/*.yaml";

    private static FerryHarness harness(int shops) {
        return harness(Db.MARIADB, shops);
    }

    private static FerryHarness harness(Db db, int shops) {
        return new FerryHarness(db, shops).withRoutes(ROUTES);
    }

    private static String number(int shop) {
        return String.valueOf(10_000_000L + shop);
    }

    private static String targetRef(FerryHarness f, String key) {
        return f.sql().queryOne("SELECT target_ref FROM ferry_synced_key WHERE sync_name = ? AND record_key = ?",
                rs -> rs.getString(1), SYNC, key);
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void everyShopBecomesOneCustomerAndASecondRunWritesNothing(Db db) throws Exception {
        try (FerryHarness f = harness(db, 250).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            KingdeeSimulator kd = f.sandbox().kingdee();

            RunRecord first = f.runSync(SYNC);
            assertThat(first.status()).isEqualTo("succeeded");
            assertThat(first.read()).isEqualTo(250);
            assertThat(first.written()).isEqualTo(250);
            assertThat(first.failed()).isZero();
            assertThat(kd.customers()).hasSize(250);
            assertThat(kd.customersSaved()).isEqualTo(250);
            assertThat(kd.batchSaveCalls()).isEqualTo(13); // 12 × 20 + 10
            assertThat(kd.logins()).isEqualTo(1);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key WHERE sync_name = ?", SYNC)).isEqualTo(250);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_dead_letter")).isZero();

            Map<String, Object> c = kd.customer(number(7));
            assertThat(c).containsEntry("FName", "聚水潭测试店铺7").containsEntry("FDescription", "")
                    .containsEntry("FCreateOrgId", Map.of("FNumber", "100")).containsEntry("FUseOrgId", Map.of("FNumber", "100"))
                    .containsEntry("FDocumentStatus", "C");
            assertThat(targetRef(f, number(7))).isEqualTo(String.valueOf(c.get("FCUSTID")));

            RunRecord second = f.runSync(SYNC);
            assertThat(second.status()).isEqualTo("succeeded");
            assertThat(second.skipped()).isEqualTo(250);
            assertThat(second.written()).isZero();
            assertThat(kd.batchSaveCalls()).isEqualTo(13);
            assertThat(kd.customers()).hasSize(250);

            // a changed shop is sent as an update of the customer it became, not as a new one
            Map<String, Object> renamed = new java.util.LinkedHashMap<>(JushuitanSimulator.shop(7));
            renamed.put("shop_name", "改名后的店铺7");
            f.sandbox().jushuitan().overrideShop(7, renamed);
            RunRecord third = f.runSync(SYNC);
            assertThat(third.written()).isEqualTo(1);
            assertThat(third.skipped()).isEqualTo(249);
            assertThat(kd.customersUpdated()).isEqualTo(1);
            assertThat(kd.customersSaved()).isEqualTo(250);
            assertThat(kd.customers()).hasSize(250);
            assertThat(kd.customer(number(7))).containsEntry("FName", "改名后的店铺7").containsEntry("FCUSTID", c.get("FCUSTID"));
            assertThat(targetRef(f, number(7))).isEqualTo(String.valueOf(c.get("FCUSTID")));
        }
    }

    @Test
    void rejectedRowsAreDeadLetteredWithKingdeesMessageAndTheOthersSaved() throws Exception {
        try (FerryHarness f = harness(60).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            KingdeeSimulator kd = f.sandbox().kingdee();
            kd.rejectNumber(number(5));
            kd.rejectNumber(number(42), "客户[" + number(42) + "]的税务登记号不合法。");
            Map<String, Object> nameless = new java.util.LinkedHashMap<>(JushuitanSimulator.shop(17));
            nameless.put("shop_name", "");
            f.sandbox().jushuitan().overrideShop(17, nameless);

            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.written()).isEqualTo(57);
            assertThat(run.failed()).isEqualTo(3);
            assertThat(kd.customers()).hasSize(57).doesNotContainKeys(number(5), number(17), number(42));
            assertThat(kd.batchSaveCalls()).isEqualTo(3);

            List<String> dead = f.sql().query("SELECT record_key, stage, status, error_message FROM ferry_dead_letter WHERE sync_name = ? ORDER BY record_key",
                    rs -> rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4), SYNC);
            assertThat(dead).containsExactly(
                    number(5) + "|SINK|open|客户[" + number(5) + "]未通过信用检查，不允许保存。",
                    number(17) + "|SINK|open|字段[名称]是必录字段",
                    number(42) + "|SINK|open|客户[" + number(42) + "]的税务登记号不合法。");
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key WHERE sync_name = ?", SYNC)).isEqualTo(57);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key WHERE sync_name = ? AND record_key IN (?, ?, ?)", SYNC,
                    number(5), number(17), number(42))).isZero();
            for (Map.Entry<String, Map<String, Object>> e : kd.customers().entrySet()) {
                assertThat(targetRef(f, e.getKey())).isEqualTo(String.valueOf(e.getValue().get("FCUSTID")));
            }

            // once Kingdee accepts them, the next run delivers exactly the three
            kd.clearRejectedNumbers();
            f.sandbox().jushuitan().clearShopOverrides();
            RunRecord again = f.runSync(SYNC);
            assertThat(again.written()).isEqualTo(3);
            assertThat(again.skipped()).isEqualTo(57);
            assertThat(kd.customers()).hasSize(60);
        }
    }

    @Test
    void aServerThatRollsBackTheWholeBatchGetsTheInnocentRowsAgain() throws Exception {
        try (FerryHarness f = harness(60).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            KingdeeSimulator kd = f.sandbox().kingdee().allOrNothing(true);
            kd.rejectNumber(number(5));
            kd.rejectNumber(number(42));

            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.written()).isEqualTo(58);
            assertThat(run.failed()).isEqualTo(2);
            assertThat(kd.customers()).hasSize(58);
            assertThat(kd.batchSaveCalls()).isEqualTo(5); // 3 batches, the first and the third sent again without their bad row
            assertThat(f.sql().query("SELECT record_key FROM ferry_dead_letter ORDER BY record_key", rs -> rs.getString(1)))
                    .containsExactly(number(5), number(42));
        }
    }

    @Test
    void aSessionLostMidRunIsOpenedAgainAndTheCallRepeated() throws Exception {
        try (FerryHarness f = harness(100).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            KingdeeSimulator kd = f.sandbox().kingdee();
            kd.expireSessionsAfterBatchSaves(2);

            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.written()).isEqualTo(100);
            assertThat(run.failed()).isZero();
            assertThat(kd.logins()).isEqualTo(2);
            assertThat(kd.sessionLostAnswers()).isEqualTo(1);
            assertThat(kd.batchSaveCalls()).isEqualTo(6); // 5 batches, the third sent twice
            assertThat(kd.customers()).hasSize(100);
            assertThat(kd.customersSaved()).isEqualTo(100);

            // an idle session that timed out between runs is replaced as well
            kd.expireSessions();
            f.sandbox().jushuitan().addShops(5);
            RunRecord next = f.runSync(SYNC);
            assertThat(next.written()).isEqualTo(5);
            assertThat(kd.logins()).isEqualTo(3);
            assertThat(kd.customers()).hasSize(105);
        }
    }

    @Test
    void customersSavedBeforeACrashAreMarkedWithTheirIdAndNotDuplicated() throws Exception {
        try (FerryHarness f = harness(50).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            KingdeeSimulator kd = f.sandbox().kingdee();
            // a previous run saved these, then stopped before it could mark them
            Map<String, Long> saved = new java.util.LinkedHashMap<>();
            for (int shop : new int[] { 0, 1, 2, 3, 4, 30 }) {
                saved.put(number(shop), kd.preSave(number(shop), "聚水潭测试店铺" + shop));
            }

            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.written()).isEqualTo(50);
            assertThat(run.failed()).isZero();
            assertThat(kd.customers()).hasSize(50);
            assertThat(kd.customersSaved()).isEqualTo(44);
            assertThat(kd.queries()).isEqualTo(6);
            saved.forEach((number, id) -> assertThat(targetRef(f, number)).isEqualTo(String.valueOf(id)));
            assertThat(f.count("SELECT COUNT(*) FROM ferry_dead_letter")).isZero();
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key WHERE sync_name = ?", SYNC)).isEqualTo(50);
        }
    }

    @Test
    void http500sAreRetriedAndARunThatRunsOutOfRetriesMarksNothing() throws Exception {
        try (FerryHarness f = harness(30).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            KingdeeSimulator kd = f.sandbox().kingdee();
            // the login fails twice, then works (the harness allows two redeliveries)
            kd.failNextCalls(2);
            RunRecord first = f.runSync(SYNC);
            assertThat(first.status()).isEqualTo("succeeded");
            assertThat(first.written()).isEqualTo(30);
            assertThat(kd.serverErrors()).isEqualTo(2);
            assertThat(kd.logins()).isEqualTo(1);

            // a BatchSave fails twice, then works
            f.sandbox().jushuitan().addShops(25);
            kd.failNextCalls(2);
            RunRecord second = f.runSync(SYNC);
            assertThat(second.status()).isEqualTo("succeeded");
            assertThat(second.written()).isEqualTo(25);
            assertThat(kd.serverErrors()).isEqualTo(4);
            assertThat(kd.customers()).hasSize(55);
            assertThat(kd.customersSaved()).isEqualTo(55);

            // failures that outlast the retries fail the run and mark nothing; the next run delivers
            f.sandbox().jushuitan().addShops(10);
            kd.failNextCalls(3);
            RunRecord failed = f.runSync(SYNC);
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(failed.error()).contains("HTTP 500");
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key WHERE sync_name = ?", SYNC)).isEqualTo(55);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_dead_letter")).isZero();
            RunRecord recovered = f.runSync(SYNC);
            assertThat(recovered.status()).isEqualTo("succeeded");
            assertThat(recovered.written()).isEqualTo(10);
            assertThat(kd.customers()).hasSize(65);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key WHERE sync_name = ?", SYNC)).isEqualTo(65);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "sign", "app-secret", "password" })
    void eachLoginMethodOpensASessionAndNoSecretReachesTheApiCallLog(String method) throws Exception {
        try (FerryHarness f = harness(45).with("camel.component.kingdee.login-method", method).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            KingdeeSimulator kd = f.sandbox().kingdee();
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.written()).isEqualTo(45);
            assertThat(kd.logins()).isEqualTo(1);
            assertThat(kd.failedLogins()).isZero();
            assertThat(kd.customers()).hasSize(45);

            String expected = switch (method) {
            case "sign" -> "LoginBySign";
            case "app-secret" -> "LoginByAppSecret";
            default -> "ValidateUser";
            };
            // the API-call log (ferry_api_call) is written in the background: wait for the login and three BatchSaves
            long deadline = System.currentTimeMillis() + 10_000;
            while (f.count("SELECT COUNT(*) FROM ferry_api_call WHERE system_name = 'kingdee'") < 4
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            List<String[]> calls = f.sql().query("SELECT endpoint, request_body, response_body FROM ferry_api_call "
                    + "WHERE system_name = 'kingdee'", rs -> new String[] { rs.getString(1), rs.getString(2), rs.getString(3) });
            assertThat(calls).anyMatch(c -> c[0].endsWith("AuthService." + expected + ".common.kdsvc"));
            assertThat(calls).hasSize(1 + 3);
            Map<String, String> p = f.sandbox().properties();
            for (String[] c : calls) {
                String logged = c[1] + " " + c[2];
                assertThat(logged).doesNotContain(p.get("camel.component.kingdee.password"))
                        .doesNotContain(p.get("camel.component.kingdee.app-secret"));
                assertThat(logged).doesNotContainPattern("\"KDSVCSessionId\"\\s*:\\s*\"[0-9a-f]{8,}");
            }
        }
    }

    @Test
    void wrongCredentialsFailTheRunWithoutBlamingTheRows() throws Exception {
        try (FerryHarness f = harness(20).with("camel.component.kingdee.app-secret", "not-the-secret").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("failed");
            assertThat(run.error()).contains("签名验证失败").contains("camel.component.kingdee.app-secret (FERRY_KINGDEE_APP_SECRET)");
            // one LoginBySign for the run: a refused login is neither redelivered nor tried again by the next batch
            assertThat(f.sandbox().kingdee().failedLogins()).isEqualTo(1);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_dead_letter")).isZero();
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key")).isZero();
            assertThat(f.sandbox().kingdee().customers()).isEmpty();
        }
    }

    @Test
    void aMissingCredentialLeavesTheSyncNotConfiguredNamingThePropertyAndTheOthersRun() throws Exception {
        // application.properties leaves it empty unless FERRY_KINGDEE_APP_SECRET is set
        try (FerryHarness f = harness(Db.H2, 30).without("camel.component.kingdee.app-secret")
                .withRoutes(ROUTES + ",file:routes/jst-shops-to-mysql.yaml").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            assertThat(f.app().syncConfiguration().message(SYNC))
                    .isEqualTo("not configured: camel.component.kingdee.app-secret (FERRY_KINGDEE_APP_SECRET) is not set");
            assertThatThrownBy(() -> f.runSync(SYNC)).hasMessageContaining("camel.component.kingdee.app-secret (FERRY_KINGDEE_APP_SECRET) is not set");
            assertThat(f.runSync("jst-shops-to-mysql").status()).isEqualTo("succeeded");
            assertThat(f.sandbox().kingdee().logins() + f.sandbox().kingdee().failedLogins()).isZero();
        }
    }
}
