package io.ferry.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ferry.reconcile.RowComparison.FieldDifference;

/** The normalisation the content comparison documents (docs/preview-and-reconcile.md), one rule per case. */
class RowComparisonTest {

    private final RowComparison all = new RowComparison(List.of(), ZoneId.of("Asia/Shanghai"));

    @Test
    void numbersCompareByValueWhateverTheirTypeOrTrailingZeros() {
        assertThat(all.same(12, "12")).isTrue();
        assertThat(all.same(new BigDecimal("12.50"), 12.5)).isTrue();
        assertThat(all.same("12.5", new BigDecimal("12.500"))).isTrue();
        assertThat(all.same(10000007L, "10000007")).isTrue();
        assertThat(all.same(true, 1)).isTrue();
        assertThat(all.same(12, "12.01")).isFalse();
        // a code with a leading zero is text, not the number 7
        assertThat(all.same("007", 7)).isFalse();
    }

    @Test
    void timesCompareAsTheWallClockTimeTheyName() {
        LocalDateTime t = LocalDateTime.of(2026, 11, 1, 8, 0, 0);
        assertThat(all.same(Timestamp.valueOf(t), "2026-11-01 08:00:00")).isTrue();
        assertThat(all.same(t, "2026-11-01T08:00:00.000")).isTrue();
        // an offset is put into the comparison's zone first: 00:00Z is 08:00 in Shanghai
        assertThat(all.same("2026-11-01T00:00:00Z", "2026-11-01 08:00:00")).isTrue();
        assertThat(all.same("2026-11-01", LocalDateTime.of(2026, 11, 1, 0, 0))).isTrue();
        assertThat(all.same(Timestamp.valueOf(t), "2026-11-01 08:00:01")).isFalse();
    }

    @Test
    void nullAbsentAndEmptyAreTheSameAndTextIsExact() {
        assertThat(all.same(null, "")).isTrue();
        assertThat(all.same("shop", "shop ")).isFalse();
        assertThat(all.same("Shop", "shop")).isFalse();
        Map<String, Object> mapped = new LinkedHashMap<>();
        mapped.put("name", "a");
        mapped.put("only_in_the_row", "x");
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("NAME", "a");
        target.put("only_in_the_target", "y");
        // names match whatever their case; a field only one side has is not compared
        assertThat(all.compare(mapped, target)).isEmpty();
    }

    @Test
    void nestedObjectsAreComparedByTheirDottedNamesAndOnlyTheFieldsGiven() {
        Map<String, Object> mapped = Map.of("FNumber", "S1", "FName", "new", "FCUSTID", 0, "FCreateOrgId", Map.of("FNumber", "100"));
        Map<String, Object> target = Map.of("FNumber", "S1", "FName", "old", "FCUSTID", 100123, "FCreateOrgId.FNumber", "200");
        RowComparison some = new RowComparison(List.of("FNumber", "FName", "FCreateOrgId.FNumber"), ZoneId.of("Asia/Shanghai"));
        List<FieldDifference> d = some.compare(mapped, target);
        assertThat(d).extracting(FieldDifference::field).containsExactlyInAnyOrder("FName", "FCreateOrgId.FNumber");
        assertThat(d).filteredOn(x -> x.field().equals("FName")).first().satisfies(x -> {
            assertThat(x.source()).isEqualTo("new");
            assertThat(x.target()).isEqualTo("old");
        });
        // without reconcileFields FCUSTID, which both have, is compared too
        assertThat(all.compare(mapped, target)).extracting(FieldDifference::field).contains("FCUSTID");
    }
}
