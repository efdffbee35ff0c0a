package io.ferry.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.cli.ReconcileCommand;
import io.ferry.sandbox.KingdeeSimulator;
import io.ferry.sandbox.WangdiantongSimulator;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * {@code ferry reconcile wdt-shops-to-kingdee-customers} against the Kingdee simulator (read back by ExecuteBillQuery):
 * customers changed and deleted in Kingdee are found; after --repair the next run updates the changed ones in place
 * (their Ids kept, no second customer) and creates the deleted ones again.
 */
class ReconcileKingdeeCustomersTest {

    private static final String SYNC = "wdt-shops-to-kingdee-customers";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void changedCustomersAreUpdatedInPlaceAndDeletedOnesCreatedAgain() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 60)) {
            f.with("ferry.sync.wdt-shops-to-kingdee-customers.concurrency", "1").start();
            f.sandbox().wangdiantong().rateLimit(false);
            KingdeeSimulator kingdee = f.sandbox().kingdee();
            assertThat(f.runSync(SYNC).written()).isEqualTo(60);
            String changed1 = no(5);
            String changed2 = no(6);
            String deleted1 = no(10);
            String deleted2 = no(11);
            long id5 = ((Number) kingdee.customer(changed1).get("FCUSTID")).longValue();
            kingdee.saveAgain(KingdeeSimulator.FORM, changed1, Map.of("FName", "renamed in Kingdee"));
            kingdee.saveAgain(KingdeeSimulator.FORM, changed2, Map.of("FName", "renamed too"));
            kingdee.delete(KingdeeSimulator.FORM, deleted1);
            kingdee.delete(KingdeeSimulator.FORM, deleted2);
            assertThat(kingdee.customers()).hasSize(58);

            Printed found = reconcile(f, false);
            assertThat(found.rc()).isEqualTo(ReconcileCommand.DIFFERENCES);
            JsonNode r = JSON.readTree(found.out());
            assertThat(r.get("sourceRecords").asInt()).isEqualTo(60);
            assertThat(r.get("targetRows").asInt()).isEqualTo(58);
            assertThat(keys(r.get("samples").get("missing-delivered"))).containsExactlyInAnyOrder(deleted1, deleted2);
            assertThat(keys(r.get("samples").get("different"))).containsExactlyInAnyOrder(changed1, changed2);
            for (JsonNode d : r.get("samples").get("different")) {
                assertThat(d.get("fields")).hasSize(1);
                assertThat(d.get("fields").get(0).get("field").asText()).isEqualTo("FName");
            }
            assertThat(r.get("counts").get("extra").asInt()).isZero();

            long updatedBefore = kingdee.customersUpdated();
            long savedBefore = kingdee.customersSaved();
            Printed repaired = reconcile(f, true);
            assertThat(JSON.readTree(repaired.out()).get("repair").get("queued").asInt()).isEqualTo(4);
            // the repair changes Kingdee in no way
            assertThat(kingdee.customers()).hasSize(58);
            assertThat(kingdee.customersUpdated()).isEqualTo(updatedBefore);

            RunRecord next = f.runSync(SYNC);
            assertThat(next.status()).isEqualTo("succeeded");
            assertThat(next.written()).isEqualTo(4);
            assertThat(next.skipped()).isEqualTo(60);
            assertThat(kingdee.customersUpdated() - updatedBefore).isEqualTo(2);
            assertThat(kingdee.customersSaved() - savedBefore).isEqualTo(2);
            // one customer per number, the changed one still under its own Id
            assertThat(kingdee.customers()).hasSize(60);
            assertThat(kingdee.customers().values().stream().filter(c -> changed1.equals(c.get("FNumber"))).count()).isEqualTo(1);
            assertThat(((Number) kingdee.customer(changed1).get("FCUSTID")).longValue()).isEqualTo(id5);
            assertThat(kingdee.customer(changed1).get("FName")).isEqualTo(WangdiantongSimulator.shop(5).get("shop_name"));
            String newRef = f.sql().<String>queryOne("SELECT target_ref FROM ferry_synced_key WHERE record_key = ?", rs -> rs.getString(1), deleted1);
            assertThat(newRef).isEqualTo(String.valueOf(kingdee.customer(deleted1).get("FCUSTID")));

            Printed again = reconcile(f, false);
            assertThat(again.rc()).as(again.out()).isZero();
        }
    }

    private static String no(int i) {
        return (String) WangdiantongSimulator.shop(i).get("shop_no");
    }

    private static List<String> keys(JsonNode samples) {
        List<String> keys = new ArrayList<>();
        samples.forEach(s -> keys.add(s.get("key").asText()));
        return keys;
    }

    record Printed(int rc, String out) {
    }

    private static Printed reconcile(FerryHarness f, boolean repair) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int rc = ReconcileCommand.reconcile(SYNC, null, repair, 10, true, "tester", f.properties(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Printed(rc, bytes.toString(StandardCharsets.UTF_8));
    }
}
