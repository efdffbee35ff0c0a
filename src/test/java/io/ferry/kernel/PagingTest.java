package io.ferry.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PagingTest {

    @Test
    void aResumedScanReadsToTheEndThenThePagesBeforeItsStartOnce() {
        Paging p = new Paging(100);
        p.resumeAt(4);
        java.util.List<Integer> asked = new java.util.ArrayList<>();
        while (p.hasMore()) {
            int page = p.pageNumber(1);
            asked.add(page);
            p.received(page == 6 ? 30 : 100, page < 6, "page " + page);
        }
        assertThat(asked).containsExactly(4, 5, 6, 1, 2, 3);
        assertThat(p.resumedAt()).isEqualTo(4);
    }

    @Test
    void aResumePastTheSourcesEndReadsEveryPage() {
        Paging p = new Paging(100);
        p.resumeAt(9);
        java.util.List<Integer> asked = new java.util.ArrayList<>();
        while (p.hasMore()) {
            int page = p.pageNumber(1);
            asked.add(page);
            p.received(page >= 4 ? 0 : 100, page < 4, "page " + page);
        }
        // page 9 is empty now (the source shrank): pages 1 to 8 follow, and the source ends at 4
        assertThat(asked).containsExactly(9, 1, 2, 3, 4);
    }

    @Test
    void endsOnTheVendorsSignal() {
        Paging p = new Paging(100);
        assertThat(p.pageNumber(1)).isEqualTo(1);
        assertThat(p.received(100, true, "a")).isTrue();
        assertThat(p.hasMore()).isTrue();
        assertThat(p.pageNumber(1)).isEqualTo(2);
        p.received(40, false, "b");
        assertThat(p.hasMore()).isFalse();
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void endsOnAnEmptyPageWhateverTheVendorSays() {
        Paging p = new Paging(100);
        p.received(0, true, "empty");
        assertThat(p.hasMore()).isFalse();
    }

    @Test
    void aRepeatedPageStopsPagingAndIsNotUsed() {
        Paging p = new Paging(100);
        p.received(100, true, "same");
        assertThat(p.received(100, true, "same")).isFalse();
        assertThat(p.hasMore()).isFalse();
        assertThat(p.warnings()).singleElement().asString().contains("repeats");
    }

    @Test
    void maxPagesBoundsARunWhateverTheVendorSays() {
        Paging p = new Paging(3);
        for (int i = 0; i < 3; i++) {
            p.received(10, true, "page" + i);
        }
        assertThat(p.hasMore()).isFalse();
        assertThat(p.pages()).isEqualTo(3);
        assertThat(p.warnings()).singleElement().asString().contains("maxPages=3");
    }

    @Test
    void totalCountAndFlagHelpers() {
        assertThat(Paging.moreByTotal(120, 0, 0, 50)).isTrue();
        assertThat(Paging.moreByTotal(120, 2, 0, 50)).isFalse();
        assertThat(Paging.moreByTotal(100, 2, 1, 50)).isFalse();
        assertThat(Paging.moreByFlag(null, 50, 50)).isTrue();
        assertThat(Paging.moreByFlag(false, 50, 50)).isFalse();
    }

    @Test
    void onlyTheSourcesOwnEndIsReadingToTheEnd() {
        Paging ended = new Paging(100);
        ended.received(100, true, "a");
        assertThat(ended.readToEnd()).isFalse();
        ended.received(40, false, "b");
        assertThat(ended.readToEnd()).isTrue();

        Paging capped = new Paging(1);
        capped.received(100, true, "a");
        assertThat(capped.hasMore()).isFalse();
        assertThat(capped.readToEnd()).isFalse();

        Paging repeated = new Paging(100);
        repeated.received(100, true, "a");
        repeated.received(100, true, "a");
        assertThat(repeated.readToEnd()).isFalse();

        Paging stopped = new Paging(100);
        stopped.received(100, true, "a");
        stopped.stop();
        assertThat(stopped.readToEnd()).isFalse();
    }
}
