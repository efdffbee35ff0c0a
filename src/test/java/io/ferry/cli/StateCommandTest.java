package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ferry.kernel.ConfigurationException;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.state.SyncStateEdits.Edit;
import io.ferry.support.ChildFerry;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * {@code ferry state} against a real Ferry: what show prints after a run, that each edit changes what it says and the
 * next run does what the edit promised, that edits are refused while a run goes on (exit 1) and bad input is refused
 * (exit 2), both changing nothing, and the record of every edit.
 */
class StateCommandTest {

    private static final String SHOPS = "jst-shops-to-mysql";
    private static final String ORDERS = "jst-orders-to-mysql";
    private static final String JELLYFISH = "jellyfish-a-to-b";
    private static final String WDT = "wdt-shops-to-kingdee-customers";

    record Printed(int rc, String out) {
    }

    @Test
    void showGivesTheStateAfterARun() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 30).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            RunRecord run = f.runSync(SHOPS);
            assertThat(run.written()).isEqualTo(30);
            Printed p = capture(out -> StateShowCommand.show(SHOPS, StateShowCommand.Format.text, f.properties(), out));
            assertThat(p.rc()).isZero();
            List<String> lines = p.out().lines().toList();
            assertThat(lines.subList(0, 7)).containsExactly(
                    "sync          jst-shops-to-mysql",
                    "position      scan page none: the next run reads the source from its first page",
                    "synced keys   30 (0 with a content hash)",
                    "dead letters  0 open",
                    "running       no",
                    "last runs",
                    "       run kind    status     started             ended                  read  skipped  written  failed");
            assertThat(lines.get(7).trim().split("\\s+")).containsExactly(String.valueOf(run.id()), "sync", "succeeded",
                    StateCommand.TIME.format(run.startedAt()).split(" ")[0], StateCommand.TIME.format(run.startedAt()).split(" ")[1],
                    StateCommand.TIME.format(run.endedAt()).split(" ")[0], StateCommand.TIME.format(run.endedAt()).split(" ")[1],
                    "30", "0", "30", "0");
            assertThat(lines.subList(8, lines.size())).containsExactly("last edits    none");

            RunRecord orders = f.runSync(ORDERS);
            assertThat(orders.status()).isEqualTo("succeeded");
            Printed json = capture(out -> StateShowCommand.show(ORDERS, StateShowCommand.Format.json, f.properties(), out));
            JsonNode doc = new ObjectMapper().readTree(json.out());
            assertThat(doc.at("/position/kind").asText()).isEqualTo("window");
            assertThat(doc.at("/position/field").asText()).isEqualTo("modified");
            assertThat(doc.at("/position/value").asText()).isEqualTo(f.state().offsets().find(ORDERS));
            assertThat(doc.at("/syncedKeys").asLong()).isEqualTo(30);
            assertThat(doc.at("/syncedKeysWithContentHash").asLong()).isEqualTo(30);
            assertThat(doc.at("/openDeadLetters").asInt()).isZero();
            assertThat(doc.at("/running").isNull()).isTrue();
            assertThat(doc.at("/lastRuns/0/id").asLong()).isEqualTo(orders.id());
            assertThat(doc.at("/lastRuns/0/written").asInt()).isEqualTo(30);
            assertThat(doc.at("/lastRuns").size()).isEqualTo(1);
            assertThat(doc.at("/lastEdits").size()).isZero();
        }
    }

    @Test
    void setPositionMovesAnOffsetSyncAndItsNextRunReadsFromThere() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 30).start()) {
            assertThat(f.runSync(JELLYFISH).written()).isEqualTo(30);
            assertThat(f.state().offsets().find(JELLYFISH)).isEqualTo("30");

            Printed dry = capture(out -> StateSetPositionCommand.setPosition(JELLYFISH, "20", true, "alice", f.properties(), out));
            assertThat(dry.out()).isEqualTo(JELLYFISH + ": dry run, nothing changed: the offset would be 20 (it is 30)\n");
            assertThat(f.state().offsets().find(JELLYFISH)).isEqualTo("30");
            assertThat(f.state().stateEdits().recent(JELLYFISH, 10)).isEmpty();

            Printed set = capture(out -> StateSetPositionCommand.setPosition(JELLYFISH, "20", false, "alice", f.properties(), out));
            assertThat(set.rc()).isZero();
            assertThat(set.out()).startsWith(JELLYFISH + ": offset set to 20 (it was 30): ");
            assertThat(f.state().offsets().find(JELLYFISH)).isEqualTo("20");
            List<Edit> edits = f.state().stateEdits().recent(JELLYFISH, 10);
            assertThat(edits).hasSize(1);
            assertThat(edits.get(0)).extracting(Edit::actor, Edit::action, Edit::before, Edit::after)
                    .containsExactly("alice", "set-position", "30", "20");

            int asked = f.sandbox().jellyFishSource().requestsReceived().size();
            RunRecord again = f.runSync(JELLYFISH);
            assertThat(f.sandbox().jellyFishSource().requestsReceived().get(asked).get("offset")).hasToString("20");
            // records 21..30: read from the new offset, and skipped as they were delivered before
            assertThat(again.read()).isEqualTo(10);
            assertThat(again.skipped()).isEqualTo(10);
            assertThat(again.written()).isZero();
            assertThat(f.state().offsets().find(JELLYFISH)).isEqualTo("30");
        }
    }

    @Test
    void setPositionMovesAWindowedSyncAndItsNextRunAsksFromThere() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 20)) {
            f.sandbox().jushuitan().rateLimit(false);
            f.start();
            assertThat(f.runSync(ORDERS).status()).isEqualTo("succeeded");
            Instant from = Instant.now().minus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            String typed = from.atOffset(ZoneOffset.ofHours(8)).toString();
            Printed set = capture(out -> StateSetPositionCommand.setPosition(ORDERS, typed, false, null, f.properties(), out));
            assertThat(set.rc()).isZero();
            assertThat(f.state().offsets().find(ORDERS)).isEqualTo(from.toString());
            assertThat(f.state().stateEdits().recent(ORDERS, 1).get(0).actor()).isEqualTo(System.getProperty("user.name"));

            var orders = f.sandbox().jushuitan().orders();
            int asked = orders.asked().size();
            assertThat(f.runSync(ORDERS).status()).isEqualTo("succeeded");
            Duration lookback = f.app().syncs().syncs().get(ORDERS).window().lookback();
            assertThat(chinaTime((String) orders.asked().get(asked).get(0))).isEqualTo(from.minus(lookback).minusSeconds(1));

            assertThatThrownBy(() -> StateSetPositionCommand.setPosition(ORDERS, Instant.now().plus(Duration.ofDays(1)).toString(),
                    false, null, f.properties(), System.out)).isInstanceOf(ConfigurationException.class).hasMessageContaining("is after now");
            assertThat(f.state().stateEdits().recent(ORDERS, 10)).hasSize(1);
        }
    }

    @Test
    void resetOfSomeKeysWritesExactlyThoseRecordsAgain() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 30).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            assertThat(f.runSync(SHOPS).written()).isEqualTo(30);
            List<String> keys = f.sql().query("SELECT record_key FROM ferry_synced_key WHERE sync_name = ? ORDER BY record_key LIMIT 2",
                    rs -> rs.getString(1), SHOPS);

            Printed reset = capture(out -> StateResetCommand.reset(SHOPS, keys, false, "bob", f.properties(), out));
            assertThat(reset.rc()).isZero();
            assertThat(reset.out()).startsWith(SHOPS + ": forgot 2 synced key(s): " + keys.get(0) + "; " + keys.get(1)
                    + "; the next run reads the whole source and writes their records again (edit ");
            assertThat(f.state().syncedKeys(SHOPS).count()).isEqualTo(28);
            Edit edit = f.state().stateEdits().recent(SHOPS, 1).get(0);
            assertThat(edit).extracting(Edit::actor, Edit::action, Edit::after)
                    .containsExactly("bob", "reset-keys", "forgotten: " + keys.get(0) + ", " + keys.get(1));

            RunRecord again = f.runSync(SHOPS);
            assertThat(again.written()).isEqualTo(2);
            assertThat(again.skipped()).isEqualTo(28);
            assertThat(f.sql().query("SELECT record_key FROM ferry_synced_key WHERE sync_name = ? AND run_id = ? ORDER BY record_key",
                    rs -> rs.getString(1), SHOPS, again.id())).containsExactlyElementsOf(keys);
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(30);
        }
    }

    @Test
    void resetForgetsEveryKeyAndThePositionAndTheNextRunWritesEverythingAgain() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 30).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            RunRecord first = f.runSync(SHOPS);
            assertThat(f.runSync(JELLYFISH).written()).isEqualTo(30);
            f.state().scanPositions().save(SHOPS, 2, first.id());

            Printed dry = capture(out -> StateResetCommand.reset(SHOPS, List.of(), true, null, f.properties(), out));
            assertThat(dry.out()).isEqualTo(SHOPS + ": dry run, nothing changed: reset would forget position none; 30 synced keys "
                    + "(0 with a content hash); scan page 2; the next run reads the source from its first page, and every record "
                    + "is written again\n");
            assertThat(f.state().syncedKeys(SHOPS).count()).isEqualTo(30);

            assertThat(capture(out -> StateResetCommand.reset(SHOPS, List.of(), false, "carol", f.properties(), out)).rc()).isZero();
            assertThat(f.state().syncedKeys(SHOPS).count()).isZero();
            assertThat(f.state().scanPositions().find(SHOPS)).isNull();
            assertThat(f.state().offsets().find(SHOPS)).isNull();
            // the other syncs keep their state
            assertThat(f.state().syncedKeys(JELLYFISH).count()).isEqualTo(30);
            assertThat(f.state().offsets().find(JELLYFISH)).isEqualTo("30");

            RunRecord again = f.runSync(SHOPS);
            assertThat(again.written()).isEqualTo(30);
            assertThat(again.skipped()).isZero();

            Printed history = capture(out -> StateHistoryCommand.history(SHOPS, 10, f.properties(), out));
            assertThat(history.out().lines().toList()).hasSize(3).first().isEqualTo("edits");
            assertThat(history.out()).contains("carol", "reset", "before: position none; 30 synced keys (0 with a content hash); "
                    + "scan page 2", "after:  position none; 0 synced keys; scan page none");
            Printed show = capture(out -> StateShowCommand.show(SHOPS, StateShowCommand.Format.text, f.properties(), out));
            assertThat(show.out()).contains("synced keys   30 (0 with a content hash)", "last edits\n", "carol");
        }
    }

    @Test
    void editsWhileARunIsInProgressAreRefusedAndChangeNothing() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 20).start()) {
            assertThat(f.runSync(WDT).written()).isEqualTo(20);
            String key = f.sql().queryOne("SELECT MIN(record_key) FROM ferry_synced_key WHERE sync_name = ?", rs -> rs.getString(1), WDT);
            f.sandbox().wangdiantong().answerLatency(Duration.ofSeconds(12));
            FutureTask<RunRecord> run = new FutureTask<>(() -> f.runSync(WDT));
            new Thread(run, "state-test-run").start();
            long deadline = System.currentTimeMillis() + 10_000;
            Long running = null;
            while (running == null && System.currentTimeMillis() < deadline) {
                running = f.sql().queryOne("SELECT id FROM ferry_run WHERE sync_name = ? AND status = 'running'", rs -> rs.getLong(1), WDT);
                Thread.sleep(20);
            }
            assertThat(running).as("the second run is going on").isNotNull();

            Printed all = capture(out -> StateResetCommand.reset(WDT, List.of(), false, null, f.properties(), out));
            Printed some = capture(out -> StateResetCommand.reset(WDT, List.of(key), false, null, f.properties(), out));
            assertThat(run.isDone()).as("the run was going on during both edits").isFalse();
            for (Printed p : List.of(all, some)) {
                assertThat(p.rc()).isEqualTo(1);
                assertThat(p.out()).startsWith(WDT + " is running: run " + running + " (sync) on node " + f.state().node() + ", started ")
                        .contains("nothing changed");
            }
            assertThat(f.state().stateEdits().recent(WDT, 10)).isEmpty();
            f.sandbox().wangdiantong().answerLatency(Duration.ZERO);
            RunRecord ended = run.get(60, TimeUnit.SECONDS);
            assertThat(ended.status()).isEqualTo("succeeded");
            assertThat(ended.skipped()).isEqualTo(20);
            assertThat(f.state().syncedKeys(WDT).count()).isEqualTo(20);

            // once it has ended the same edit goes through
            assertThat(capture(out -> StateResetCommand.reset(WDT, List.of(key), false, null, f.properties(), out)).rc()).isZero();
            assertThat(f.state().syncedKeys(WDT).count()).isEqualTo(19);
        }
    }

    @Test
    void aRunLeftRunningRefusesEditsWithExitCode1AndBadInputExits2BothChangingNothing() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 30).start()) {
            assertThat(f.runSync(JELLYFISH).written()).isEqualTo(30);
            // the run of a process that died: 'running' until a Ferry on its node starts again and closes it
            long left = f.state().runs().open(JELLYFISH, "ferry-dead");
            ChildFerry child = new ChildFerry().env("FERRY_STATE_URL", f.stateUrl())
                    .env("FERRY_STATE_USERNAME", f.properties().get("ferry.state.username"))
                    .env("FERRY_STATE_PASSWORD", f.properties().get("ferry.state.password"));

            ChildFerry.Result refused = child.run(120, "state", "set-position", JELLYFISH, "10");
            assertThat(refused.rc()).isEqualTo(1);
            assertThat(refused.out()).startsWith(JELLYFISH + " is running: run " + left + " (sync) on node ferry-dead, started ")
                    .contains("nothing changed").contains("blocks edits until a Ferry started on node ferry-dead closes it as abandoned");

            Map<String[], String> bad = Map.of(
                    new String[] { "state", "reset", "no-such-sync" }, "ferry state reset: no-such-sync is no sync of the route files",
                    new String[] { "state", "set-position", ORDERS, "last tuesday" },
                    "ferry state set-position: jst-orders-to-mysql: POSITION must be an ISO-8601 time with its offset",
                    new String[] { "state", "set-position", SHOPS, "3" }, "ferry state set-position: jst-shops-to-mysql reads its source as a whole",
                    new String[] { "state", "reset", JELLYFISH, "--keys", "1,999999" }, "ferry state reset: 999999 is not a synced key of jellyfish-a-to-b");
            for (Map.Entry<String[], String> e : bad.entrySet()) {
                ChildFerry.Result r = child.run(120, e.getKey());
                assertThat(r.rc()).as(String.join(" ", e.getKey())).isEqualTo(2);
                assertThat(r.err()).as(String.join(" ", e.getKey())).contains(e.getValue()).contains("nothing changed")
                        .doesNotContain("\tat ");
            }
            assertThat(f.state().offsets().find(JELLYFISH)).isEqualTo("30");
            assertThat(f.state().syncedKeys(JELLYFISH).count()).isEqualTo(30);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_state_edit")).isZero();
            assertThat(f.state().runs().find(left).status()).as("left alone by the commands").isEqualTo("running");
        }
    }

    @FunctionalInterface
    interface Command {
        int run(PrintStream out) throws Exception;
    }

    private static Printed capture(Command command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int rc = command.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Printed(rc, bytes.toString(StandardCharsets.UTF_8));
    }

    private static Instant chinaTime(String s) {
        return java.time.LocalDateTime.parse(s, java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))
                .atZone(java.time.ZoneId.of("Asia/Shanghai")).toInstant();
    }
}
