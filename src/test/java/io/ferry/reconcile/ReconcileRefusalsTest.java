package io.ferry.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ferry.cli.ReconcileCommand;
import io.ferry.state.RunRepository;
import io.ferry.support.ChildFerry;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;
import io.ferry.support.TableDump;

/**
 * What a reconcile refuses: a repair while a run of the sync goes on (exit 1, nothing queued, no mark touched, the target
 * as it was), and bad input — an unknown sync, a sync whose target cannot be read, a window that does not parse or does
 * not apply — with exit code 2 and one clear line, nothing read or recorded. And a re-queued record that a run already
 * delivered and marked before it could take it off the queue (a crash in between) is taken off, not written again.
 */
class ReconcileRefusalsTest {

    private static final String SYNC = "jst-shops-to-mysql";

    record Printed(int rc, String out) {
    }

    @Test
    void aRepairWhileTheSyncRunsIsRefusedAndQueuesNothing() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 30).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            assertThat(f.runSync(SYNC).written()).isEqualTo(30);
            f.sql().update("DELETE FROM bi_shop WHERE shop_id = 10000004");
            // a run going on, here or in another process: its row is 'running' until it ends
            long running = f.state().runs().open(SYNC, "ferry-2");
            Map<String, List<String>> before = TableDump.of(f.dataSource(), "ferry_synced_key", "ferry_reconcile_queue",
                    "ferry_state_edit", "bi_shop");

            Printed refused = reconcile(f, true);
            assertThat(refused.rc()).isEqualTo(1);
            assertThat(refused.out()).contains("1 missing (1 delivered").contains("repair refused, nothing queued: run " + running
                    + " (sync) on node ferry-2 is going on");
            assertThat(TableDump.of(f.dataSource(), "ferry_synced_key", "ferry_reconcile_queue", "ferry_state_edit", "bi_shop"))
                    .isEqualTo(before);
            assertThat(f.state().runs().last(SYNC, RunRepository.RECONCILE).error()).contains("repair refused");

            // once that run has ended the same repair goes through
            f.state().runs().close(running, "succeeded", 1, 30, 30, 0, 0, null);
            Printed repaired = reconcile(f, true);
            assertThat(repaired.out()).contains("repair: re-queued 1 record(s) (1 missing, 0 different)");
            assertThat(f.count("SELECT COUNT(*) FROM ferry_reconcile_queue")).isEqualTo(1);

            // a run that wrote and marked it, then stopped before it took it off the queue: the next one only takes it off
            f.sql().update("UPDATE ferry_synced_key SET run_id = (SELECT MAX(id) + 1 FROM ferry_run) WHERE record_key = '10000004'");
            f.sql().update("INSERT INTO bi_shop (shop_id, shop_name, synced_at) VALUES (10000004, '聚水潭测试店铺4', CURRENT_TIMESTAMP(3))");
            var next = f.runSync(SYNC);
            assertThat(next.written()).isZero();
            assertThat(f.count("SELECT COUNT(*) FROM ferry_reconcile_queue")).isZero();
            assertThat(f.sql().<String>queryOne("SELECT shop_url FROM bi_shop WHERE shop_id = 10000004", rs -> rs.getString(1)))
                    .as("not written again").isNull();
        }
    }

    @Test
    void badInputExitsWith2AndAClearMessage() throws Exception {
        ChildFerry child = new ChildFerry();
        // a reconcile without --repair opens the state database read-only: it must exist (any command that ran made it)
        assertThat(child.run(120, "state", "show", SYNC).rc()).isZero();
        Map<String[], String> bad = Map.of(
                new String[] { "reconcile", "no-such-sync" }, "ferry reconcile: no sync named 'no-such-sync'; known: ",
                new String[] { "reconcile", "jellyfish-a-to-b" }, "ferry reconcile: jellyfish-a-to-b declares no reconcileTarget",
                new String[] { "reconcile", "jst-orders-to-mysql", "--window", "last week" },
                "ferry reconcile: --window last week is not START/END",
                new String[] { "reconcile", "jst-orders-to-mysql", "--window", "2026-11-02T00:00+08:00/2026-11-01T00:00+08:00" },
                "its start is not before its end",
                new String[] { "reconcile", SYNC, "--window", "2026-11-01T00:00+08:00/P1D" },
                "ferry reconcile: jst-shops-to-mysql is not read by time window: --window does not apply");
        for (Map.Entry<String[], String> e : bad.entrySet()) {
            ChildFerry.Result r = child.run(120, e.getKey());
            assertThat(r.rc()).as(String.join(" ", e.getKey()) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", e.getKey())).contains(e.getValue()).doesNotContain("\tat ");
        }
    }

    private static Printed reconcile(FerryHarness f, boolean repair) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int rc = ReconcileCommand.reconcile(SYNC, null, repair, 10, false, "tester", f.properties(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Printed(rc, bytes.toString(StandardCharsets.UTF_8));
    }
}
