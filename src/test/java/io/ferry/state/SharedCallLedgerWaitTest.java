package io.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.ferry.http.CallBudget.Limits;

/** When the shared ledger lets the next call go: the windows count ended calls for a window after their end, and calls in flight. */
class SharedCallLedgerWaitTest {

    private static final long NOW = 1_000_000;

    @Test
    void roomInEveryWindowLetsTheCallGoAtOnce() {
        assertThat(SharedCallLedger.wait(new Limits(5, 100, 5), NOW, 2, List.of(NOW - 500, NOW - 200))).isZero();
        assertThat(SharedCallLedger.wait(Limits.NONE, NOW, 1000, List.of())).isZero();
    }

    @Test
    void aFullSecondWaitsUntilItsOldestCallLeavesIt() {
        // 5 ended in the last second: the oldest (900 ms ago) leaves the window in 100 ms
        List<Long> ended = List.of(NOW - 900, NOW - 700, NOW - 500, NOW - 300, NOW - 100);
        assertThat(SharedCallLedger.wait(new Limits(5, 0, 0), NOW, 0, ended)).isEqualTo(101);
        // with 2 in flight, 3 of the ended must leave: the third oldest, 500 ms ago
        assertThat(SharedCallLedger.wait(new Limits(5, 0, 0), NOW, 2, ended)).isEqualTo(501);
    }

    @Test
    void callsThatEndedBeforeTheWindowDoNotCount() {
        List<Long> ended = List.of(NOW - 59_000, NOW - 1_500, NOW - 1_200);
        assertThat(SharedCallLedger.wait(new Limits(2, 0, 0), NOW, 0, ended)).isZero();
        // the minute holds all three: at 3 a minute the oldest must leave, in 1 s
        assertThat(SharedCallLedger.wait(new Limits(0, 3, 0), NOW, 0, ended)).isEqualTo(1_001);
    }

    @Test
    void callsInFlightThatFillAWindowOrTheCallsAtOnceWaitForAnEnd() {
        assertThat(SharedCallLedger.wait(new Limits(0, 0, 5), NOW, 5, List.of())).isEqualTo(-1);
        assertThat(SharedCallLedger.wait(new Limits(3, 0, 0), NOW, 3, List.of(NOW - 10))).isEqualTo(-1);
    }
}
