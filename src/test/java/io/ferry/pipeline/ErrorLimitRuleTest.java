package io.ferry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** When a run's rejections pass its error limit. */
class ErrorLimitRuleTest {

    @Test
    void theShareCountsOnlyOnceTheMinimumWasTriedAndOnlyAboveThePercent() {
        ErrorLimit limit = ErrorLimit.DEFAULT; // no count limit, 50 %, from 20 records
        assertThat(limit.passedBy(19, 19)).isNull();
        assertThat(limit.passedBy(20, 10)).isNull();
        assertThat(limit.passedBy(20, 11)).startsWith("11 of the 20 records tried were rejected, more than errorLimitPercent=50%");
        assertThat(limit.passedBy(3, 1)).isNull();
        assertThat(limit.passedBy(1_000_000, 499_999)).isNull();
    }

    @Test
    void aCountLimitCountsFromTheFirstRecordAndOneHundredPercentTurnsTheShareOff() {
        ErrorLimit count = new ErrorLimit(0, 100, 20);
        assertThat(count.passedBy(1, 0)).isNull();
        assertThat(count.passedBy(1, 1)).isEqualTo("1 record was rejected, more than errorLimit=0");
        ErrorLimit off = new ErrorLimit(ErrorLimit.NONE, 100, 1);
        assertThat(off.passedBy(1000, 1000)).isNull();
    }

    @Test
    void aRunStopsWithTheLimitAndItsFirstDifferentReasons() {
        SyncRun run = new SyncRun(new SyncSettings("s", "id", 10, false, null, new ErrorLimit(2, 100, 1)), 1);
        run.rejected("record has no id");
        run.rejected("record has no id");
        run.checkErrorLimit();
        run.rejected("mapping failed (id=7)");
        assertThatThrownBy(run::checkErrorLimit).isInstanceOf(ErrorLimitExceededException.class)
                .hasMessage("error limit passed: 3 records were rejected, more than errorLimit=2; the first rejections: "
                        + "record has no id | mapping failed (id=7)");
    }

    @Test
    void limitsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new ErrorLimit(-2, 50, 20)).hasMessageContaining("errorLimit");
        assertThatThrownBy(() -> new ErrorLimit(1, 101, 20)).hasMessageContaining("errorLimitPercent");
        assertThatThrownBy(() -> new ErrorLimit(1, 50, 0)).hasMessageContaining("errorLimitMinRecords");
    }
}
