package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.sandbox.JushuitanOrders;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;
import io.ferry.support.TableDump;

/**
 * {@code ferry preview} against the simulators and MariaDB, beside a Ferry that ran the sync once: the rows it prints
 * are exactly those the next real run writes, its skips are that run's, and every table of the state database (which
 * holds the BI target tables too) is byte for byte what it was before the preview; the Kingdee target too.
 */
class PreviewWritesNothingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Printed(int rc, JsonNode json, String text, String err) {
    }

    static Printed preview(FerryHarness f, String sync, String window) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = PreviewCommand.preview(sync, 10_000, window, PreviewCommand.Format.json, f.properties(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        return new Printed(rc, JSON.readTree(text), text, err.toString(StandardCharsets.UTF_8));
    }

    /** No configured secret, token or password is in the output (the request bodies carry the Jushuitan token). */
    static void noSecretIn(FerryHarness f, Printed p) {
        f.properties().forEach((name, value) -> {
            if (name.matches("(?i).*(secret|password|token)$") && value != null && value.length() >= 4) {
                assertThat(p.text()).as(name).doesNotContain(value);
            }
        });
    }

    /** The rows of every batch, in order. */
    static List<JsonNode> rows(JsonNode preview) {
        List<JsonNode> rows = new ArrayList<>();
        preview.get("batches").forEach(b -> b.get("rows").forEach(rows::add));
        return rows;
    }

    /** The state database's tables once the API-call log wrote what the runs before called. */
    static Map<String, List<String>> settledDump(FerryHarness f) throws InterruptedException {
        // the log writes within its linger (200 ms) of a call; twice the same dump a while apart is settled
        Map<String, List<String>> dump = TableDump.all(f.dataSource());
        for (int i = 0; i < 20; i++) {
            Thread.sleep(400);
            Map<String, List<String>> again = TableDump.all(f.dataSource());
            if (again.equals(dump)) {
                return dump;
            }
            dump = again;
        }
        throw new AssertionError("the state database kept changing without a run");
    }

    @Test
    void jstShopsToMysqlPrintsTheRowsTheNextRunWritesAndChangesNothing() throws Exception {
        String sync = "jst-shops-to-mysql";
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 130).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            assertThat(f.runSync(sync).written()).isEqualTo(130);
            f.sandbox().jushuitan().addShops(25);
            // a changed shop: this sync does not send a record again, so the run and the preview both skip it
            Map<String, Object> renamed = new HashMap<>(io.ferry.sandbox.JushuitanSimulator.shop(4));
            renamed.put("shop_name", "改名的店铺4");
            f.sandbox().jushuitan().overrideShop(4, renamed);

            Map<String, List<String>> before = settledDump(f);
            Printed p = preview(f, sync, null);
            assertThat(p.rc()).as(p.err()).isZero();
            assertThat(settledDump(f)).isEqualTo(before);

            JsonNode summary = p.json().get("summary");
            assertThat(summary.get("text").asText()).isEqualTo("read 155, would write 25 in 2 batches, would skip 130, would reject 0");
            assertThat(p.json().get("skipped").get(0).get("reason").asText()).isEqualTo("already synced");
            assertThat(p.json().get("apiCalls")).hasSize(2);
            assertThat(p.json().get("apiCalls").get(0).get("request").asText()).contains("access_token=***");
            noSecretIn(f, p);
            // the statement as camel-sql executes it, its named parameters bound from each row
            JsonNode request = p.json().get("batches").get(0).get("requests").get(0);
            assertThat(request.get("statement").asText()).startsWith("INSERT INTO bi_shop (shop_id, shop_name");
            assertThat(request.get("rows").get(0).get("parameters").get("shop_id").asLong()).isEqualTo(10_000_130L);
            assertThat(request.get("rows").get(0).has("missing")).isFalse();

            RunRecord run = f.runSync(sync);
            assertThat(run.written()).isEqualTo(25);
            assertThat(run.skipped()).isEqualTo(summary.get("wouldSkip").asInt());
            Map<String, String> target = new TreeMap<>();
            f.sql().query("SELECT shop_id, shop_name, shop_url, nick, co_id FROM bi_shop WHERE shop_id >= 10000130", rs -> target
                    .put(rs.getString(1), rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|" + rs.getString(5)));
            Map<String, String> previewed = new TreeMap<>();
            for (JsonNode r : rows(p.json())) {
                previewed.put(r.get("shop_id").asText(), r.get("shop_name").asText() + "|" + r.get("shop_url").asText() + "|"
                        + r.get("nick").asText() + "|" + r.get("co_id").asText());
            }
            assertThat(previewed).hasSize(25).isEqualTo(target);
        }
    }

    @Test
    void wdtShopsToKingdeeRendersTheBatchSaveItWouldSendAndChangesNothing() throws Exception {
        String sync = "wdt-shops-to-kingdee-customers";
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 60).start()) {
            assertThat(f.runSync(sync).written()).isEqualTo(60);
            f.sandbox().wangdiantong().addShops(27);
            int customers = f.sandbox().kingdee().customers().size();
            long logins = f.sandbox().kingdee().logins();

            Map<String, List<String>> before = settledDump(f);
            Printed p = preview(f, sync, null);
            assertThat(p.rc()).as(p.err()).isZero();
            assertThat(settledDump(f)).isEqualTo(before);
            assertThat(f.sandbox().kingdee().customers()).hasSize(customers);
            assertThat(f.sandbox().kingdee().logins()).isEqualTo(logins); // Kingdee was not even called
            noSecretIn(f, p);

            assertThat(p.json().get("summary").get("text").asText())
                    .isEqualTo("read 87, would write 27 in 2 batches, would skip 60, would reject 0");
            JsonNode call = p.json().get("batches").get(0).get("requests").get(0);
            assertThat(call.get("service").asText()).endsWith("DynamicFormService.BatchSave");
            assertThat(call.get("body").get("formid").asText()).isEqualTo("BD_Customer");
            assertThat(call.get("body").get("data").get("IsAutoSubmitAndAudit").asBoolean()).isTrue();
            assertThat(call.get("body").get("data").get("Model")).hasSize(20);

            RunRecord run = f.runSync(sync);
            assertThat(run.written()).isEqualTo(27);
            assertThat(run.skipped()).isEqualTo(60);
            Map<String, String> saved = new TreeMap<>();
            f.sandbox().kingdee().customers().forEach((number, c) -> saved.put(number, String.valueOf(c.get("FName"))));
            Map<String, String> previewed = new TreeMap<>();
            for (JsonNode r : rows(p.json())) {
                previewed.put(r.get("FNumber").asText(), r.get("FName").asText());
            }
            assertThat(previewed).hasSize(27);
            assertThat(saved).containsAllEntriesOf(previewed).hasSize(customers + 27);
        }
    }

    @Test
    void aChangedShopOfAnUpdateChangedKingdeeSyncIsPreviewedAsTheUpdateOfItsCustomer() throws Exception {
        String sync = "wdt-shops-to-kingdee-customers";
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 30).with("ferry.sync." + sync + ".update-changed", "true").start()) {
            assertThat(f.runSync(sync).written()).isEqualTo(30);
            Map<String, Object> renamed = new HashMap<>(io.ferry.sandbox.WangdiantongSimulator.shop(7));
            renamed.put("shop_name", "改名的旺店通店铺7");
            f.sandbox().wangdiantong().overrideShop(7, renamed);
            String number = String.valueOf(renamed.get("shop_no"));
            Object customerId = f.sandbox().kingdee().customer(number).get("FCUSTID");

            Map<String, List<String>> before = settledDump(f);
            Printed p = preview(f, sync, null);
            assertThat(p.rc()).as(p.err()).isZero();
            assertThat(settledDump(f)).isEqualTo(before);
            assertThat(p.json().get("summary").get("text").asText())
                    .isEqualTo("read 30, would write 1 in 1 batch, would skip 29, would reject 0");
            assertThat(p.json().get("skipped").get(0).get("reason").asText()).isEqualTo("already synced, content unchanged");
            // sent as the update of the customer saved before: its Id from the synced key, the fields it updates
            JsonNode call = p.json().get("batches").get(0).get("requests").get(0);
            JsonNode model = call.get("body").get("data").get("Model").get(0);
            assertThat(model.get("FCUSTID").asText()).isEqualTo(String.valueOf(customerId));
            assertThat(model.get("FName").asText()).isEqualTo("改名的旺店通店铺7");
            assertThat(call.get("body").get("data").get("NeedUpDateFields").toString()).contains("FName").doesNotContain("FCUSTID");

            RunRecord run = f.runSync(sync);
            assertThat(run.written()).isEqualTo(1);
            assertThat(run.skipped()).isEqualTo(29);
            assertThat(f.sandbox().kingdee().customer(number).get("FName")).isEqualTo("改名的旺店通店铺7");
        }
    }

    @Test
    void jstOrdersPreviewOfAWindowIsWhatTheNextRunWritesAndChangesNothing() throws Exception {
        String sync = "jst-orders-to-mysql";
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 150)) {
            f.sandbox().jushuitan().rateLimit(false);
            f.with("ferry.sync.jst-orders-to-mysql.window-start", now.minus(Duration.ofDays(10)).toString())
                    .with("ferry.sync.jst-orders-to-mysql.lag", "PT3S").start();
            JushuitanOrders orders = f.sandbox().jushuitan().orders();
            assertThat(f.runSync(sync).status()).isEqualTo("succeeded");
            Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            Map<String, Object> changed5 = orders.modify(10_000_005L, t.minusSeconds(2));
            orders.modify(10_000_007L, t.minusSeconds(1));
            orders.modify(10_000_011L, t);
            Thread.sleep(4_500); // past the sync's lag
            Instant position = Instant.parse(f.state().offsets().find(sync));

            Map<String, List<String>> before = settledDump(f);
            // the next run's windows: from the saved position less the lookback (PT10M) up to now
            Printed p = preview(f, sync, position.minus(Duration.ofMinutes(10)) + "/" + Instant.now().truncatedTo(ChronoUnit.SECONDS));
            assertThat(p.rc()).as(p.err()).isZero();
            assertThat(settledDump(f)).isEqualTo(before);
            // the sink's one transaction per batch: each order upserted, its items deleted and inserted again
            JsonNode transaction = p.json().get("batches").get(0).get("requests").get(0).get("transaction");
            assertThat(transaction.get(0).get("statement").asText()).startsWith("INSERT INTO bi_order (o_id, ");
            assertThat(transaction.get(0).get("parameters").get(0).asLong()).isEqualTo(10_000_005L);
            assertThat(transaction.get(1).get("statement").asText()).isEqualTo("DELETE FROM bi_order_item WHERE o_id = ?");
            assertThat(transaction.get(2).get("statement").asText()).startsWith("INSERT INTO bi_order_item (o_id, oi_id");
            assertThat(p.json().get("readFrom").asText()).startsWith("the windows from ");

            RunRecord run = f.runSync(sync);
            assertThat(run.status()).as(run.error()).isEqualTo("succeeded");
            assertThat(run.written()).isEqualTo(3);
            JsonNode summary = p.json().get("summary");
            assertThat(summary.get("wouldWrite").asInt()).isEqualTo(run.written());
            assertThat(summary.get("wouldSkip").asInt()).isEqualTo(run.skipped());
            Map<String, String> previewed = new TreeMap<>();
            for (JsonNode r : rows(p.json())) {
                previewed.put(r.get("o_id").asText(), r.get("status").asText() + "|" + r.get("items").size());
            }
            Map<String, String> target = new TreeMap<>();
            for (String oId : previewed.keySet()) {
                target.put(oId, f.sql().queryOne("SELECT status FROM bi_order WHERE o_id = ?", rs -> rs.getString(1), Long.parseLong(oId))
                        + "|" + f.count("SELECT COUNT(*) FROM bi_order_item WHERE o_id = ?", Long.parseLong(oId)));
            }
            assertThat(previewed.keySet()).containsExactly("10000005", "10000007", "10000011");
            assertThat(previewed).isEqualTo(target);
            assertThat(previewed.get("10000005")).startsWith(changed5.get("status") + "|");
        }
    }

    @Test
    void jellyfishRendersOnePushPerRowPushesNothingAndReadsAfterTheSavedOffset() throws Exception {
        String sync = "jellyfish-a-to-b";
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 30).start()) {
            Map<String, List<String>> before = settledDump(f);
            Printed first = preview(f, sync, null);
            assertThat(first.rc()).as(first.err()).isZero();
            assertThat(settledDump(f)).isEqualTo(before);
            assertThat(first.json().get("readFrom").asText()).isEqualTo("the source's start (no offset saved)");
            JsonNode push = first.json().get("batches").get(0).get("requests").get(0);
            assertThat(push.get("method").asText()).isEqualTo("POST");
            assertThat(push.get("url").asText()).endsWith("/receive");
            assertThat(push.get("body")).isEqualTo(first.json().get("batches").get(0).get("rows").get(0));
            assertThat(f.sandbox().jellyFishTarget().callsFor(push.get("body").get("id").asLong())).isZero();
            int previewed = first.json().get("summary").get("wouldWrite").asInt();

            assertThat(f.runSync(sync).written()).isEqualTo(previewed);
            String offset = f.state().offsets().find(sync);
            before = settledDump(f);
            Printed after = preview(f, sync, null);
            assertThat(settledDump(f)).isEqualTo(before);
            assertThat(after.json().get("readFrom").asText()).isEqualTo("after the saved offset id=" + offset);
            assertThat(after.json().get("summary").get("text").asText())
                    .isEqualTo("read 0, would write 0 in 0 batches, would skip 0, would reject 0");
        }
    }
}
