package io.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.ferry.state.DeadLetterRepository.Stage;
import io.ferry.http.ApiCall;
import io.ferry.state.ApiCallRepository.Search;
import io.ferry.sandbox.Faults;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** The state tables keep their times to the millisecond, on MariaDB (through Connector/J) and on H2. */
class StateTimesTest {

    private static final String SYNC = "jst-shops-to-mysql";

    @ParameterizedTest
    @EnumSource(Db.class)
    void aRunsStoredStartAndEndAreAsFarApartAsTheRunLasted(Db db) throws Exception {
        try (FerryHarness f = new FerryHarness(db, 250).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            // a first run warms the route up, so that little happens outside the measured run's open and close
            assertThat(f.runSync(SYNC).status()).isEqualTo("succeeded");
            // every page answers after 150 ms: the run lasts about half a second, nowhere near a whole second
            f.sandbox().jushuitan().setFaults(new Faults(1, 0, 0, 1.0, 150, 0, 0, 0, 0));
            // the run's own monotonic clock, read when its end has been written (SyncRun starts it once the row is open)
            AtomicLong elapsed = new AtomicLong(-1);
            f.app().syncs().addListener((r, status, message) -> elapsed.set(r.elapsed().toMillis()));
            awaitMidSecond();
            Instant wallBefore = Instant.ofEpochMilli(System.currentTimeMillis());
            long t0 = System.nanoTime();
            RunRecord run = f.runSync(SYNC);
            long measured = (System.nanoTime() - t0) / 1_000_000;
            Instant wallAfter = Instant.ofEpochMilli(System.currentTimeMillis());
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(measured).isBetween(450L, 5_000L);
            // a start cut to its second would fall before the run was triggered
            assertThat(run.startedAt()).isBetween(wallBefore, wallAfter);
            assertThat(run.endedAt()).isBetween(run.startedAt(), wallAfter);
            long stored = run.endedAt().toEpochMilli() - run.startedAt().toEpochMilli();
            assertThat(stored).as("ended_at - started_at, measured %d ms", measured).isLessThanOrEqualTo(measured + 1);
            // the run's clock starts after the row's insert and is read after the end's update and the metrics and alert
            // listeners: 2-22 ms apart here, up to 15 ms the other way on a loaded machine; a time cut to whole seconds
            // would be hundreds of ms off
            assertThat(stored).as("ended_at - started_at, the run's own clock %d ms", elapsed.get())
                    .isBetween(elapsed.get() - 50, elapsed.get() + 50);
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void runsOffsetsDeadLettersAndApiCallsKeepMilliseconds(Db db) throws Exception {
        try (FerryHarness f = new FerryHarness(db, 10).start()) {
            FerryState state = f.state();
            // away from a second's edge, so that a time cut to whole seconds falls before the write began
            awaitMidSecond();
            Instant before = Instant.ofEpochMilli(System.currentTimeMillis());
            long runId = state.runs().open(SYNC, "node-a");
            state.runs().close(runId, "succeeded", 1, 0, 0, 0, 0, null);
            state.offsets().save(SYNC, "42", runId);
            long dl = state.deadLetters().add(SYNC, runId, "k1", Stage.RECORD, "{}", "X", "bad", 1);
            Instant after = Instant.ofEpochMilli(System.currentTimeMillis());

            RunRecord run = state.runs().find(runId);
            assertThat(run.startedAt()).isBetween(before, after);
            assertThat(run.endedAt()).isBetween(run.startedAt(), after);
            Instant offsetAt = f.sql().queryOne("SELECT updated_at FROM ferry_offset WHERE sync_name = ?",
                    rs -> rs.getTimestamp(1).toInstant(), SYNC);
            assertThat(offsetAt).isBetween(before, after);
            var letter = state.deadLetters().find(dl);
            assertThat(letter.firstFailedAt()).isBetween(before, after);
            assertThat(letter.lastFailedAt()).isBetween(before, after);

            ApiCallRepository calls = new ApiCallRepository(f.dataSource());
            Instant at = Instant.parse("2026-03-04T05:06:07.891Z");
            calls.insert(List.of(new ApiCall(SYNC, runId, "jushuitan", "pull", "/open/shops/query", 200, "0", 12, "{}",
                    "{}", null, at)));
            List<ApiCallRepository.StoredCall> found = calls.search(new Search(SYNC, null, at, at.plusMillis(1), 10));
            assertThat(found).hasSize(1);
            assertThat(found.get(0).call().at()).isEqualTo(at);
            // the search's bounds keep their milliseconds too
            assertThat(calls.search(new Search(SYNC, null, at.plusMillis(1), null, 10))).isEmpty();
        }
    }

    private static void awaitMidSecond() throws InterruptedException {
        while (System.currentTimeMillis() % 1000 < 100 || System.currentTimeMillis() % 1000 > 700) {
            Thread.sleep(10);
        }
    }
}
