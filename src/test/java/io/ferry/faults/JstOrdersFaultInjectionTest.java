package io.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;

import io.ferry.sandbox.Faults;
import io.ferry.sandbox.JushuitanOrders;
import io.ferry.sandbox.JushuitanSimulator;
import io.ferry.support.CuttingDataSource;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;
import io.ferry.support.WindowedFaultRun;
import io.ferry.support.WindowedFaultRun.Runs;
import io.ferry.support.WindowedTargets;

/**
 * jst-orders-to-mysql with a fifth of the order queries faulty (HTTP 500, dropped connections, slow answers, rate
 * limits, vendor errors, truncated JSON, HTML pages, lost replies), spread over a long run (15 orders a page, some
 * 200 pages in 1-day windows), and a fifth of the sink's writes failing at the target (an eighth of its connections
 * cut mid-transaction, some 8% of its batches rolled back by a deadlock): within two runs every order is in bi_order
 * once in its latest version, with exactly its latest items.
 */
class JstOrdersFaultInjectionTest {

    private static final String SYNC = "jst-orders-to-mysql";
    private static final int ORDERS = 3000;

    @Test
    void everyOrderOnceWithItsItemsUnderAFifthOfFaults() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (FerryHarness f = new FerryHarness(Db.MARIADB, ORDERS)) {
            f.withRoutes(WindowedFaultRun.routesWithPageSize("jst-orders-to-mysql.yaml", 15))
                    .with("ferry.sync.jst-orders-to-mysql.window-size", "P1D")
                    .with("camel.component.jushuitan.requests-per-second", "0").with("camel.component.jushuitan.requests-per-minute", "0")
                    .with("camel.component.jushuitan.rate-limit-pause", "20").with("camel.component.jushuitan.read-timeout", "2000")
                    .with("ferry.retry.max-redeliveries", "3").start();
            JushuitanSimulator jst = f.sandbox().jushuitan();
            jst.rateLimit(false);
            // the same orders, with every later change in the past: what the target must end with is known
            JushuitanOrders orders = jst.orders().generate(7, ORDERS, now.minus(Duration.ofDays(9)), now.minusSeconds(120), 0.3,
                    Duration.ofSeconds(60));
            WindowedTargets.Expected expected = WindowedTargets.orders(orders.current(now.plusSeconds(1)));
            // the target: an eighth of the sink's connections cut, and some 8% of its batches (0.08% per item row,
            // ~100 item rows per batch of 50 orders) rolled back by a deadlock
            CuttingDataSource bi = WindowedFaultRun.cutBiConnections(f, 48, 0.12);
            WindowedFaultRun.deadlockLines(f, "bi_order_item", 0.0008);
            jst.setFaults(Faults.mixed(46, 0.20));

            Runs runs = WindowedFaultRun.runUntilSucceeded(f, SYNC, 2);
            long targetFaults = bi.cuts() + WindowedFaultRun.deadlocks(f);
            System.out.printf("order fault injection: %d run(s); source: %d faults in %d calls; target: %d cuts and %d deadlocks "
                    + "in %d writes%n", runs.count(), jst.faultsInjected(), jst.requests(), bi.cuts(), WindowedFaultRun.deadlocks(f),
                    bi.connections());
            assertThat(runs.last().status()).as("a run succeeded within 2 runs: " + runs.last().error()).isEqualTo("succeeded");
            assertThat(jst.requests()).as("calls at the source").isGreaterThan(200);
            assertThat((double) jst.faultsInjected()).as("faults at the source").isGreaterThanOrEqualTo(0.15 * jst.requests());
            assertThat(bi.connections()).as("writes at the target").isGreaterThanOrEqualTo(ORDERS / 50);
            assertThat((double) targetFaults).as("faults at the target").isGreaterThanOrEqualTo(0.15 * bi.connections());
            assertThat(f.sql().query(WindowedTargets.ORDERS_SQL, rs -> rs.getString(1))).hasSize(ORDERS)
                    .containsExactlyInAnyOrderElementsOf(expected.records());
            assertThat(f.sql().query(WindowedTargets.ORDER_ITEMS_SQL, rs -> rs.getString(1)))
                    .containsExactlyInAnyOrderElementsOf(expected.lines());
            assertThat(f.state().deadLetters().open(SYNC)).isEmpty();
        }
    }
}
