package io.ferry.operate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** A run's counts spread over the minutes it ran add up to its counts, whole numbers per minute. */
class SyncActivityTest {

    private static final long MINUTE = 60_000;

    @Test
    void aRunOverAMinuteBoundaryIsSplitByItsTimeInEachAndAddsUp() {
        double[] b = new double[3];
        // 30 s in minute 0, 30 s in minute 1: 601 records
        SyncActivity.spread(b, 601, 30_000, 90_000, 0, MINUTE);
        assertThat(b[0]).isEqualTo(300.5);
        assertThat(b[1]).isEqualTo(300.5);
        long[] r = SyncActivity.rounded(b);
        assertThat(Arrays.stream(r).sum()).isEqualTo(601); // rounding each minute alone makes 602
        assertThat(r[2]).isZero();
    }

    @Test
    void aRunBeforeTheSpanOrOfNoRecordsAddsNothingAndAnInstantRunFallsInItsMinute() {
        double[] b = new double[2];
        SyncActivity.spread(b, 50, -5 * MINUTE, -4 * MINUTE, 0, MINUTE);
        SyncActivity.spread(b, 0, 0, MINUTE, 0, MINUTE);
        assertThat(b).containsExactly(0, 0);
        SyncActivity.spread(b, 7, 70_000, 70_000, 0, MINUTE);
        assertThat(SyncActivity.rounded(b)).containsExactly(0, 7);
    }

    @Test
    void manySmallShares() {
        double[] b = new double[10];
        SyncActivity.spread(b, 7, 0, 10 * MINUTE, 0, MINUTE);
        long[] r = SyncActivity.rounded(b);
        assertThat(Arrays.stream(r).sum()).isEqualTo(7);
        assertThat(Arrays.stream(r).allMatch(v -> v == 0 || v == 1)).isTrue();
    }
}
