package io.ferry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ferry.kernel.Records;

/** The cheap page fingerprint and the cached SQL parameter names. */
class PageAndSqlShortcutsTest {

    @Test
    void aPageIsRecognisedByItsKeysInOrder() {
        List<Map<String, Object>> page = List.of(Map.of("id", 1, "v", "a"), Map.of("id", 2, "v", "b"));
        String fp = Records.keyFingerprint(page, "id");
        assertThat(Records.keyFingerprint(List.of(Map.of("id", 1, "v", "a"), Map.of("id", 2, "v", "b")), "id")).isEqualTo(fp);
        assertThat(Records.keyFingerprint(List.of(Map.of("id", 2), Map.of("id", 1)), "id")).isNotEqualTo(fp);
        assertThat(Records.keyFingerprint(List.of(Map.of("id", 1), Map.of("id", 3)), "id")).isNotEqualTo(fp);
        // records without a key count by their content
        assertThat(Records.keyFingerprint(List.of(Map.of("v", "a")), "id"))
                .isNotEqualTo(Records.keyFingerprint(List.of(Map.of("v", "b")), "id"));
    }

    @Test
    void onlyPlainNamedParametersTakeTheShortWay() throws Exception {
        assertThat(CachedSqlPrepareStatementStrategy.simpleNames("INSERT INTO t (a, b) VALUES (:?a, :?b) ON DUPLICATE KEY UPDATE b = VALUES(b)"))
                .containsExactly("a", "b");
        assertThat(CachedSqlPrepareStatementStrategy.simpleNames("SELECT * FROM t WHERE id IN (:?in:ids)")).isEmpty();
        assertThat(CachedSqlPrepareStatementStrategy.simpleNames("SELECT * FROM t WHERE id = :?${header.id}")).isEmpty();
        assertThat(CachedSqlPrepareStatementStrategy.simpleNames("SELECT 1")).isEmpty();

        CachedSqlPrepareStatementStrategy s = new CachedSqlPrepareStatementStrategy(',');
        var it = s.createPopulateIterator("INSERT INTO t (a, b) VALUES (:?a, :?b)", "INSERT INTO t (a, b) VALUES (?, ?)", 2,
                null, new java.util.HashMap<>(Map.of("b", 2, "a", 1)));
        assertThat(it.next()).isEqualTo(1);
        assertThat(it.next()).isEqualTo(2);
        assertThat(it.hasNext()).isFalse();
    }
}
