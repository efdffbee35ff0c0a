package io.ferry.kernel.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EndSignalTest {

    @Test
    void theFirstClauseTheAnswerCanAnswerDecides() {
        EndSignal s = EndSignal.parse("hasNext:data.has_next,pages:data.page_count,short");
        assertThat(s.read(Map.of("data", Map.of("has_next", false)), Map.of(), 0, 100, 100, 0).more()).isFalse();
        assertThat(s.read(Map.of("data", Map.of("page_count", 3)), Map.of(), 0, 100, 100, 1).more()).isTrue();
        assertThat(s.read(Map.of("data", Map.of("page_count", 3)), Map.of(), 0, 100, 100, 2).more()).isFalse();
        // neither field: a short page ends
        assertThat(s.read(Map.of("data", Map.of()), Map.of(), 0, 99, 100, 0).more()).isFalse();
        assertThat(s.read(Map.of("data", Map.of()), Map.of(), 0, 100, 100, 0).more()).isTrue();
    }

    @Test
    void aTotalEndsWhenTheRecordsReadReachIt() {
        EndSignal s = EndSignal.parse("total:data.total_count");
        assertThat(s.read(Map.of("data", Map.of("total_count", 120)), Map.of(), 100, 20, 100, 1).more()).isFalse();
        assertThat(s.read(Map.of("data", Map.of("total_count", "121")), Map.of(), 100, 20, 100, 1).more()).isTrue();
        assertThat(s.read(Map.of("data", Map.of("total_count", 0)), Map.of(), 0, -1, 100, 0).sourceEmpty()).isTrue();
    }

    @Test
    void aCursorOrALinkGivesTheNextPage() {
        EndSignal cursor = EndSignal.parse("cursor:meta.next");
        assertThat(cursor.read(Map.of("meta", Map.of("next", "abc")), Map.of(), 0, 5, 5, 0).nextCursor()).isEqualTo("abc");
        assertThat(cursor.read(Map.of("meta", Map.of("next", "")), Map.of(), 0, 5, 5, 0).more()).isFalse();
        EndSignal link = EndSignal.parse("link");
        Map<String, List<String>> headers = Map.of("Link", List.of("<https://x/a?page=1>; rel=\"prev\", <https://x/a?page=3>; rel=\"next\""));
        assertThat(link.read(List.of(), headers, 0, 5, 5, 0).nextCursor()).isEqualTo("https://x/a?page=3");
        assertThat(link.read(List.of(), Map.of(), 0, 5, 5, 0).more()).isFalse();
    }

    @Test
    void aClauseItCannotReadIsRefusedWhenTheRouteStarts() {
        assertThatThrownBy(() -> EndSignal.parse("hasNext")).hasMessageContaining("needs the path");
        assertThatThrownBy(() -> EndSignal.parse("whenDone")).hasMessageContaining("unknown clause");
    }
}
