package io.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ferry.sandbox.Faults;
import io.ferry.sandbox.JushuitanOrders;
import io.ferry.sandbox.JushuitanSimulator;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * jst-orders-to-mysql with about a fifth of the order queries faulty (HTTP 500, dropped connections, slow answers,
 * rate limits, vendor errors, truncated JSON, HTML pages) and about a fifth of the sink's transactions rolled back by
 * a deadlock: within two runs every order is in bi_order once, with exactly its latest items.
 */
class JstOrdersFaultInjectionTest {

    private static final String SYNC = "jst-orders-to-mysql";
    private static final int ORDERS = 5000;

    @Test
    void everyOrderOnceWithItsItemsUnderAFifthOfFaults() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, ORDERS)) {
            f.with("camel.component.jushuitan.rate-limit-pause", "20").with("camel.component.jushuitan.read-timeout", "2000")
                    .with("ferry.retry.max-redeliveries", "3").start();
            JushuitanSimulator jst = f.sandbox().jushuitan();
            jst.rateLimit(false);
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            // the same orders, with every later change in the past: what the target must end with is known
            JushuitanOrders orders = jst.orders().generate(7, ORDERS, now.minus(Duration.ofDays(9)), now.minusSeconds(120), 0.3,
                    Duration.ofSeconds(60));
            List<Map<String, Object>> expected = orders.current(now.plusSeconds(1));
            long items = expected.stream().mapToLong(o -> ((List<?>) o.get("items")).size()).sum();
            // about one transaction in five rolls back (0.2% per item row, ~100 item rows per batch of 50 orders)
            exec(f, "CREATE TRIGGER bi_order_item_flaky BEFORE INSERT ON bi_order_item FOR EACH ROW "
                    + "IF RAND() < 0.002 THEN SIGNAL SQLSTATE '40001' SET MESSAGE_TEXT = 'injected deadlock'; END IF");
            jst.setFaults(Faults.mixed(42, 0.20));

            int runs = 0;
            RunRecord last;
            do {
                last = f.runSync(SYNC);
                runs++;
            } while (!"succeeded".equals(last.status()) && runs < 2);
            System.out.printf("order fault injection: %d run(s), %d faults injected in %d source calls%n", runs,
                    jst.faultsInjected(), jst.requests());
            assertThat(last.status()).as("a run succeeded within 2 runs: " + last.error()).isEqualTo("succeeded");
            assertThat(jst.faultsInjected()).as("faults at the source").isGreaterThanOrEqualTo(3);
            assertThat(f.count("SELECT COUNT(*) FROM bi_order")).isEqualTo(ORDERS);
            assertThat(f.count("SELECT COUNT(*) FROM bi_order_item")).isEqualTo(items);
            for (Map<String, Object> o : expected.subList(0, 50)) {
                long oId = ((Number) o.get("o_id")).longValue();
                assertThat(f.count("SELECT COUNT(*) FROM bi_order_item WHERE o_id = ?", oId)).isEqualTo(((List<?>) o.get("items")).size());
                assertThat((String) f.sql().queryOne("SELECT status FROM bi_order WHERE o_id = ?", rs -> rs.getString(1), oId))
                        .isEqualTo(o.get("status"));
            }
            assertThat(f.state().deadLetters().open(SYNC)).isEmpty();
        }
    }

    private static void exec(FerryHarness f, String sql) throws Exception {
        try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
