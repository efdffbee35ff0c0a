package io.ferry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class SyncRunTest {

    @Test
    void progressGivesTheRateAndAnEstimateWhenTheTotalIsKnown() {
        SyncRun run = new SyncRun(new SyncSettings("s", "id", 100, false, null), 1);
        run.addRead(500);
        assertThat(run.progress(Duration.ofSeconds(10))).endsWith("(50 records/s)");
        run.paging().setTotal(2000);
        assertThat(run.progress(Duration.ofSeconds(10))).endsWith("(50 records/s, 500 of 2000, about 30 s left)");
    }
}
