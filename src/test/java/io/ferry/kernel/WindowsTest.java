package io.ferry.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The windows of one run, paged through {@link Paging} as a source reports its pages. */
class WindowsTest {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final Windows.Spec SPEC = new Windows.Spec("modified", START, Duration.ofDays(7), Duration.ofMinutes(10),
            Duration.ofSeconds(30));

    @Test
    void windowsFollowEachOtherUpToNowLessTheLagWithTheLookbackOnTheFirstOnly() {
        Instant now = START.plus(Duration.ofDays(10));
        Paging paging = new Paging(100);
        Windows w = new Windows(SPEC, START, Duration.ofSeconds(1), now);
        paging.useWindows(w);
        Windows.Window first = w.current();
        assertThat(first.askFrom()).isEqualTo(START.minus(Duration.ofMinutes(10)).minusSeconds(1));
        assertThat(first.to()).isEqualTo(first.askFrom().plus(Duration.ofDays(7)));
        assertThat(paging.pageNumber(1)).isEqualTo(1);
        paging.received(100, true, "a");
        assertThat(paging.pageNumber(1)).isEqualTo(2);
        paging.received(10, false, "b");
        // the next window, from its first page, a second before the first one's end, ending at now - lag
        Windows.Window second = w.current();
        assertThat(second.askFrom()).isEqualTo(first.to().minusSeconds(1));
        assertThat(second.to()).isEqualTo(now.minusSeconds(30));
        assertThat(paging.hasMore()).isTrue();
        assertThat(paging.pageNumber(1)).isEqualTo(1);
        assertThat(w.endedBeforeLastPage()).isNull();
        assertThat(w.endedThroughLastPage()).isEqualTo(first.to());
        paging.received(0, false, null); // an empty window costs one call
        assertThat(w.endedBeforeLastPage()).isEqualTo(first.to());
        assertThat(w.endedThroughLastPage()).isEqualTo(now.minusSeconds(30));
        assertThat(paging.hasMore()).isFalse();
        assertThat(paging.readToEnd()).isTrue();
    }

    @Test
    void aWindowWhoseCountMovedWhileItWasPagedIsReadAgain() {
        Paging paging = new Paging(100);
        Windows w = new Windows(SPEC, START, Duration.ofSeconds(1), START.plus(Duration.ofDays(3)));
        paging.useWindows(w);
        paging.setTotal(150);
        paging.received(100, true, "a");
        paging.setTotal(149); // an order of page 1 changed and left the window: page 2 shifted
        paging.received(49, false, "b");
        assertThat(w.endedThroughLastPage()).isNull();
        assertThat(w.rereads()).isEqualTo(1);
        assertThat(paging.pageNumber(1)).isEqualTo(1);
        paging.setTotal(149);
        paging.received(100, true, "a2");
        paging.setTotal(149);
        paging.received(49, false, "b2");
        assertThat(w.endedThroughLastPage()).isEqualTo(START.plus(Duration.ofDays(3)).minusSeconds(30));
        assertThat(paging.hasMore()).isFalse();
    }

    @Test
    void nothingIsAskedWhenThePositionIsAtNowLessTheLag() {
        Paging paging = new Paging(100);
        Instant now = START.plusSeconds(30);
        paging.useWindows(new Windows(SPEC, START, Duration.ofSeconds(1), now));
        assertThat(paging.hasMore()).isFalse();
    }

    @Test
    void aStartWhosePlusAURIQueryTurnedIntoASpaceIsReadAsWritten() {
        assertThat(Windows.Spec.parseTime("windowStart", "2026-11-01T00:00:00 08:00"))
                .isEqualTo(Instant.parse("2026-10-31T16:00:00Z"));
        assertThat(Windows.Spec.parseTime("windowStart", "2026-11-01T00:00:00+08:00"))
                .isEqualTo(Instant.parse("2026-10-31T16:00:00Z"));
        assertThatThrownBy(() -> Windows.Spec.parseTime("windowStart", "2026-11-01 00:00:00"))
                .hasMessageContaining("windowStart must be an ISO-8601 time with its offset");
    }

    @Test
    void aLookbackAsLongAsTheWindowIsRefused() {
        assertThatThrownBy(() -> new Windows.Spec("modified", START, Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ZERO))
                .hasMessageContaining("lookback (PT10M) plus a second must be shorter than windowSize (PT10M)");
        assertThatThrownBy(() -> new Windows.Spec("modified", START, Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("must be shorter than windowSize (PT1S)");
    }
}
