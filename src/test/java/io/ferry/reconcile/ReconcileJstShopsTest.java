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
import io.ferry.state.RunRepository;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;
import io.ferry.support.TableDump;

/**
 * {@code ferry reconcile jst-shops-to-mysql} on MariaDB after a real run of 1000 shops: rows deleted, changed and added
 * in bi_shop behind Ferry's back are found exactly; a reconcile writes nothing without --repair; --repair re-queues the
 * delivered-but-missing and the different ones, and the next run writes exactly those five, after which only the extra
 * row remains (a repair never deletes).
 */
class ReconcileJstShopsTest {

    private static final String SYNC = "jst-shops-to-mysql";
    private static final ObjectMapper JSON = new ObjectMapper();
    record Printed(int rc, String out) {
    }

    @Test
    void findsWhatWasDeletedChangedAndAddedAndRepairsIt() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 1000).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            RunRecord first = f.runSync(SYNC);
            assertThat(first.written()).isEqualTo(1000);

            f.sql().update("DELETE FROM bi_shop WHERE shop_id IN (10000003, 10000500, 10000999)");
            f.sql().update("UPDATE bi_shop SET shop_name = 'renamed by hand' WHERE shop_id = 10000010");
            f.sql().update("UPDATE bi_shop SET co_id = 42, group_name = NULL WHERE shop_id = 10000020");
            f.sql().update("INSERT INTO bi_shop (shop_id, shop_name, synced_at) VALUES (99999999, 'not in the source', CURRENT_TIMESTAMP(3))");

            // without --repair: the findings, exit 1, and not one row of the state or the target changed
            apiCallLogWritten(f);
            Map<String, List<String>> before = TableDump.all(f.dataSource());
            Printed json = reconcile(f, false, true);
            assertThat(json.rc()).isEqualTo(ReconcileCommand.DIFFERENCES);
            assertThat(TableDump.all(f.dataSource())).isEqualTo(before);
            JsonNode r = JSON.readTree(json.out());
            assertThat(r.get("sourceRecords").asInt()).isEqualTo(1000);
            assertThat(r.get("targetRows").asInt()).isEqualTo(998);
            JsonNode counts = r.get("counts");
            assertThat(counts.get("missing").asInt()).isEqualTo(3);
            assertThat(counts.get("missing-delivered").asInt()).isEqualTo(3);
            assertThat(counts.get("missing-not-delivered").asInt()).isZero();
            assertThat(counts.get("extra").asInt()).isEqualTo(1);
            assertThat(counts.get("different").asInt()).isEqualTo(2);
            assertThat(keys(r.get("samples").get("missing-delivered"))).containsExactlyInAnyOrder("10000003", "10000500", "10000999");
            assertThat(keys(r.get("samples").get("extra"))).containsExactly("99999999");
            Map<String, String> changed = new java.util.TreeMap<>();
            for (JsonNode d : r.get("samples").get("different")) {
                List<String> fields = new ArrayList<>();
                d.get("fields").forEach(x -> fields.add(x.get("field").asText()));
                changed.put(d.get("key").asText(), String.join(",", fields));
            }
            assertThat(changed).containsEntry("10000010", "shop_name").containsEntry("10000020", "co_id,group_name");
            JsonNode renamed = null;
            for (JsonNode d : r.get("samples").get("different")) {
                if (d.get("key").asText().equals("10000010")) {
                    renamed = d.get("fields").get(0);
                }
            }
            assertThat(renamed.get("target").asText()).isEqualTo("renamed by hand");
            assertThat(renamed.get("source").asText()).isEqualTo("聚水潭测试店铺10");

            Printed text = reconcile(f, false, false);
            assertThat(text.rc()).isEqualTo(ReconcileCommand.DIFFERENCES);
            assertThat(text.out()).contains("3 missing (3 delivered, 0 not delivered yet, 0 dead-lettered), 1 extra, 2 different")
                    .contains("10000010  shop_name: source \"聚水潭测试店铺10\", target \"renamed by hand\"")
                    .contains("result: 6 difference(s)");
            assertThat(TableDump.all(f.dataSource())).isEqualTo(before);

            // --repair: the five are queued, the target is untouched, the edit and the reconcile are recorded
            Map<String, List<String>> target = TableDump.of(f.dataSource(), "bi_shop");
            Printed repaired = reconcile(f, true, false);
            assertThat(repaired.rc()).isEqualTo(ReconcileCommand.DIFFERENCES);
            assertThat(repaired.out()).contains("repair: re-queued 5 record(s) (3 missing, 2 different)");
            assertThat(TableDump.of(f.dataSource(), "bi_shop")).isEqualTo(target);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_reconcile_queue WHERE sync_name = ?", SYNC)).isEqualTo(5);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_reconcile_queue WHERE reason = 'missing'")).isEqualTo(3);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_state_edit WHERE sync_name = ? AND action = 'reconcile-repair'", SYNC))
                    .isEqualTo(1);
            RunRecord reconcile = f.state().runs().last(SYNC, RunRepository.RECONCILE);
            assertThat(reconcile.status()).isEqualTo("differs");
            assertThat(reconcile.read()).isEqualTo(1000);
            assertThat(reconcile.written()).isZero();
            assertThat(f.count("SELECT record_count FROM ferry_reconcile_finding WHERE run_id = ? AND kind = 'missing-delivered'",
                    reconcile.id())).isEqualTo(3);

            // the next run writes exactly those five, first, and skips the 1000 it reads from the source
            long rowsBefore = f.count("SELECT COUNT(*) FROM bi_shop");
            RunRecord next = f.runSync(SYNC);
            assertThat(next.status()).isEqualTo("succeeded");
            assertThat(next.written()).isEqualTo(5);
            assertThat(next.skipped()).isEqualTo(1000);
            assertThat(next.read()).isEqualTo(1005);
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(rowsBefore + 3);
            // the rows the run wrote carry its time: exactly the five
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop WHERE synced_at >= (SELECT started_at FROM ferry_run WHERE id = ?)",
                    next.id())).isEqualTo(5);
            assertThat(f.sql().<String>queryOne("SELECT shop_name FROM bi_shop WHERE shop_id = 10000010", rs -> rs.getString(1)))
                    .isEqualTo("聚水潭测试店铺10");
            assertThat(f.count("SELECT COUNT(*) FROM ferry_reconcile_queue")).isZero();

            // reconciled again: only the extra row, which a repair leaves where it is
            JsonNode after = JSON.readTree(reconcile(f, false, true).out());
            assertThat(after.get("counts").get("missing").asInt()).isZero();
            assertThat(after.get("counts").get("different").asInt()).isZero();
            assertThat(after.get("counts").get("extra").asInt()).isEqualTo(1);
            f.sql().update("DELETE FROM bi_shop WHERE shop_id = 99999999");
            assertThat(reconcile(f, false, false).rc()).isZero();
        }
    }

    /** The run's API calls are logged in the background: the table is compared once they are all in. */
    static void apiCallLogWritten(FerryHarness f) throws InterruptedException {
        long seen = -1;
        long now = f.count("SELECT COUNT(*) FROM ferry_api_call");
        while (now != seen) {
            Thread.sleep(700);
            seen = now;
            now = f.count("SELECT COUNT(*) FROM ferry_api_call");
        }
    }

    private static List<String> keys(JsonNode samples) {
        List<String> keys = new ArrayList<>();
        samples.forEach(s -> keys.add(s.get("key").asText()));
        return keys;
    }

    static Printed reconcile(FerryHarness f, boolean repair, boolean json) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int rc = ReconcileCommand.reconcile(SYNC, null, repair, 10, json, "tester", f.properties(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Printed(rc, bytes.toString(StandardCharsets.UTF_8));
    }
}
