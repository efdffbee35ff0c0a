package io.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;

import io.ferry.sandbox.Faults;
import io.ferry.sandbox.WangdiantongSimulator;
import io.ferry.sandbox.WangdiantongTrades;
import io.ferry.support.CuttingDataSource;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;
import io.ferry.support.WindowedFaultRun;
import io.ferry.support.WindowedFaultRun.Runs;
import io.ferry.support.WindowedTargets;

/**
 * wdt-trades-to-mysql with a fifth of the trade queries faulty (HTTP 500, dropped connections, slow answers, the
 * per-minute limit, truncated JSON, HTML pages, lost replies), spread over a long run (15 trades a page, some 200
 * pages in 60-minute windows), and a fifth of the sink's writes failing at the target (an eighth of its connections
 * cut mid-transaction, some 8% of its batches rolled back by a deadlock): within two runs every trade is in
 * bi_trade once in its latest version, with exactly its latest lines.
 */
class WdtTradesFaultInjectionTest {

    private static final String SYNC = "wdt-trades-to-mysql";
    private static final int TRADES = 3000;

    @Test
    void everyTradeOnceWithItsLinesUnderAFifthOfFaults() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (FerryHarness f = new FerryHarness(Db.MARIADB, TRADES)) {
            f.withRoutes(WindowedFaultRun.routesWithPageSize("wdt-trades-to-mysql.yaml", 15))
                    .with("camel.component.wangdiantong.rate-limit-pause", "20").with("camel.component.wangdiantong.read-timeout", "2000")
                    .with("ferry.retry.max-redeliveries", "3").start();
            WangdiantongSimulator wdt = f.sandbox().wangdiantong();
            wdt.rateLimit(false);
            // the same trades, with every later change in the past: what the target must end with is known
            WangdiantongTrades trades = wdt.trades().generate(8, TRADES, now.minus(Duration.ofHours(5)), now.minusSeconds(120), 0.3,
                    Duration.ofSeconds(60));
            WindowedTargets.Expected expected = WindowedTargets.trades(trades.current(now.plusSeconds(1)));
            // the target: an eighth of the sink's connections cut, and some 8% of its batches (0.08% per line, ~100
            // lines per batch of 50 trades) rolled back by a deadlock
            CuttingDataSource bi = WindowedFaultRun.cutBiConnections(f, 48, 0.12);
            WindowedFaultRun.deadlockLines(f, "bi_trade_line", 0.0008);
            wdt.setFaults(Faults.mixed(46, 0.20));

            Runs runs = WindowedFaultRun.runUntilSucceeded(f, SYNC, 2);
            long targetFaults = bi.cuts() + WindowedFaultRun.deadlocks(f);
            System.out.printf("trade fault injection: %d run(s); source: %d faults in %d calls; target: %d cuts and %d deadlocks "
                    + "in %d writes%n", runs.count(), wdt.faultsInjected(), wdt.requests(), bi.cuts(), WindowedFaultRun.deadlocks(f),
                    bi.connections());
            assertThat(runs.last().status()).as("a run succeeded within 2 runs: " + runs.last().error()).isEqualTo("succeeded");
            assertThat(wdt.requests()).as("calls at the source").isGreaterThan(200);
            assertThat((double) wdt.faultsInjected()).as("faults at the source").isGreaterThanOrEqualTo(0.15 * wdt.requests());
            assertThat(bi.connections()).as("writes at the target").isGreaterThanOrEqualTo(TRADES / 50);
            assertThat((double) targetFaults).as("faults at the target").isGreaterThanOrEqualTo(0.15 * bi.connections());
            assertThat(f.sql().query(WindowedTargets.TRADES_SQL, rs -> rs.getString(1))).hasSize(TRADES)
                    .containsExactlyInAnyOrderElementsOf(expected.records());
            assertThat(f.sql().query(WindowedTargets.TRADE_LINES_SQL, rs -> rs.getString(1)))
                    .containsExactlyInAnyOrderElementsOf(expected.lines());
            assertThat(f.state().deadLetters().open(SYNC)).isEmpty();
        }
    }
}
