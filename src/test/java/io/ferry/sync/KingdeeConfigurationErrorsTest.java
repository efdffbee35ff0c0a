package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.ferry.sandbox.KingdeeSimulator;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * A Kingdee sink set up wrong — a form or a field key Kingdee does not have — fails the run at the first BatchSave
 * with Kingdee's message, instead of dead-lettering every row (src/test/resources/routes-errorlimit/).
 */
class KingdeeConfigurationErrorsTest {

    private static final String SYNC = "jst-shops-to-kingdee-setup";
    private static final String DIR = "src/test/resources/routes-errorlimit/";

    private static FerryHarness harness(String formId, String mapping) {
        return new FerryHarness(Db.MARIADB, 120)
                .withRoutes("file:routes/ferry-sync.yaml,file:routes/ferry-templates.yaml,file:" + DIR + "jst-shops-to-kingdee-setup.yaml")
                .with("ferry.test.form-id", formId).with("ferry.test.mapping", mapping);
    }

    @Test
    void aFormThatDoesNotExistFailsTheRunAtOnceWithKingdeesMessage() throws Exception {
        try (FerryHarness f = harness("BD_Custmer", "src/test/resources/routes-kingdee/jst-shop-to-kingdee-customer.jsonata").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            KingdeeSimulator kd = f.sandbox().kingdee();

            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("failed");
            // the simulator answers as a real server: MsgCode 4, the error at DIndex 0, nothing saved
            assertThat(run.error()).isEqualTo("kingdee: the form BD_Custmer does not exist on this server (BatchSave answered"
                    + " MsgCode 4: 标识为“BD_Custmer”的业务对象不存在，或者被删除); check formId on kingdee:batchSave");
            // one call, not one per row; nothing dead-lettered, nothing marked
            assertThat(kd.batchSaveCalls()).isEqualTo(1);
            assertThat(run.written()).isZero();
            assertThat(run.failed()).isZero();
            assertThat(f.count("SELECT COUNT(*) FROM ferry_dead_letter")).isZero();
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key")).isZero();
        }
    }

    @Test
    void aFieldKeyTheFormDoesNotHaveFailsTheRunAtOnceWithKingdeesMessage() throws Exception {
        try (FerryHarness f = harness("BD_Customer", DIR + "jst-shop-to-kingdee-unknown-field.jsonata").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            KingdeeSimulator kd = f.sandbox().kingdee();

            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("failed");
            assertThat(run.error()).startsWith("kingdee BatchSave of BD_Customer refused the whole batch: "
                    + "元数据中标识为FCustomerName的字段不存在 (MsgCode 9;");
            assertThat(kd.batchSaveCalls()).isEqualTo(1);
            assertThat(kd.customers()).isEmpty();
            assertThat(f.count("SELECT COUNT(*) FROM ferry_dead_letter")).isZero();
        }
    }
}
