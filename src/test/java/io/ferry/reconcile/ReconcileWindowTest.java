package io.ferry.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.cli.ReconcileCommand;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * {@code ferry reconcile jst-orders-to-mysql --window …}: a time-window sync compared for one window only, the source
 * read by the sync's own windows and bi_order filtered to the same bounds, so that a row deleted outside the window is
 * not reported and every value (DECIMAL amounts, DATETIMEs in Jushuitan's zone) compares equal to the mapped row.
 */
class ReconcileWindowTest {

    private static final String SYNC = "jst-orders-to-mysql";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter VENDOR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of("Asia/Shanghai"));

    @Test
    void comparesOneWindowOnly() throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(10));
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 300)) {
            f.sandbox().jushuitan().rateLimit(false);
            f.with("ferry.sync.jst-orders-to-mysql.window-start", start.toString()).with("ferry.sync.jst-orders-to-mysql.lag", "PT3S")
                    .start();
            assertThat(f.runSync(SYNC).status()).isEqualTo("succeeded");
            Instant from = start.plus(Duration.ofDays(2));
            Instant to = start.plus(Duration.ofDays(5));
            List<Map<String, Object>> visible = f.sandbox().jushuitan().orders().current(Instant.now().minusSeconds(3));
            List<String> inside = new ArrayList<>();
            List<String> outside = new ArrayList<>();
            for (Map<String, Object> o : visible) {
                Instant modified = LocalDateTime.parse((String) o.get("modified"), VENDOR).atZone(ZoneId.of("Asia/Shanghai")).toInstant();
                // the window as the source asks it: from a second before its start (the bound overlap) to its end
                (modified.isBefore(from.minusSeconds(1)) || modified.isAfter(to) ? outside : inside).add(String.valueOf(o.get("o_id")));
            }
            assertThat(inside).hasSizeGreaterThan(10);
            assertThat(outside).hasSizeGreaterThan(10);
            assertThat(reconcile(f, from, to).rc()).isZero();

            f.sql().update("DELETE FROM bi_order WHERE o_id IN (?, ?, ?)", inside.get(0), inside.get(1), outside.get(0));
            f.sql().update("UPDATE bi_order SET pay_amount = pay_amount + 1 WHERE o_id = ?", inside.get(2));
            Printed p = reconcile(f, from, to);
            assertThat(p.rc()).isEqualTo(ReconcileCommand.DIFFERENCES);
            JsonNode r = JSON.readTree(p.out());
            assertThat(r.get("window").get("from").asText()).isEqualTo(from.toString());
            assertThat(r.get("sourceRecords").asInt()).isEqualTo(inside.size());
            assertThat(r.get("targetRows").asInt()).isEqualTo(inside.size() - 2);
            assertThat(keys(r.get("samples").get("missing-delivered"))).containsExactlyInAnyOrder(inside.get(0), inside.get(1));
            assertThat(keys(r.get("samples").get("different"))).containsExactly(inside.get(2));
            assertThat(r.get("samples").get("different").get(0).get("fields").get(0).get("field").asText()).isEqualTo("pay_amount");
            assertThat(r.get("counts").get("extra").asInt()).isZero();

            // the whole span, from windowStart to the saved position, finds the one outside too
            Printed whole = reconcile(f, null, null);
            assertThat(keys(JSON.readTree(whole.out()).get("samples").get("missing-delivered"))).contains(outside.get(0));

            // repaired for that window: the next run writes the three again though its windows start days after them
            String paid = f.sql().queryOne("SELECT pay_amount FROM bi_order WHERE o_id = ?", rs -> rs.getString(1), inside.get(2));
            assertThat(JSON.readTree(reconcile(f, from, to, true).out()).get("repair").get("queued").asInt()).isEqualTo(3);
            assertThat(f.runSync(SYNC).status()).isEqualTo("succeeded");
            assertThat(f.count("SELECT COUNT(*) FROM bi_order WHERE o_id IN (?, ?)", inside.get(0), inside.get(1))).isEqualTo(2);
            assertThat(f.sql().<String>queryOne("SELECT pay_amount FROM bi_order WHERE o_id = ?", rs -> rs.getString(1), inside.get(2)))
                    .isNotEqualTo(paid);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_reconcile_queue")).isZero();
            assertThat(reconcile(f, from, to).rc()).isZero();
        }
    }

    private static List<String> keys(JsonNode samples) {
        List<String> keys = new ArrayList<>();
        samples.forEach(s -> keys.add(s.get("key").asText()));
        return keys;
    }

    record Printed(int rc, String out) {
    }

    private static Printed reconcile(FerryHarness f, Instant from, Instant to) throws Exception {
        return reconcile(f, from, to, false);
    }

    private static Printed reconcile(FerryHarness f, Instant from, Instant to, boolean repair) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int rc = ReconcileCommand.reconcile(SYNC, from == null ? null : from + "/" + to, repair, 10, true, "tester", f.properties(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Printed(rc, bytes.toString(StandardCharsets.UTF_8));
    }
}
