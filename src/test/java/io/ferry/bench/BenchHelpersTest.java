package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.ferry.bench.StatementCounter.Kind;

/** The benchmark's counting and measuring helpers. */
class BenchHelpersTest {

    @Test
    void classifiesStatementsByWhatTheyAreFor() {
        assertThat(StatementCounter.classify("SELECT record_key, content_hash, target_ref FROM ferry_synced_key WHERE sync_name = ? AND record_key IN (?,?)"))
                .isEqualTo(Kind.DEDUP_QUERY);
        assertThat(StatementCounter.classify("INSERT INTO ferry_synced_key (sync_name, record_key) VALUES (?, ?),(?, ?)"))
                .isEqualTo(Kind.MARK);
        assertThat(StatementCounter.classify("UPDATE ferry_run SET pages = ? WHERE id = ?")).isEqualTo(Kind.RUN);
        assertThat(StatementCounter.classify("INSERT INTO ferry_offset (sync_name) VALUES (?)")).isEqualTo(Kind.OTHER_STATE);
        assertThat(StatementCounter.classify("  insert into bi_shop (shop_id) values (?)")).isEqualTo(Kind.TARGET_WRITE);
        assertThat(StatementCounter.classify("SELECT COUNT(*) FROM bi_shop")).isEqualTo(Kind.OTHER);
        assertThat(StatementCounter.classify("SET autocommit=1")).isEqualTo(Kind.OTHER);
        assertThat(StatementCounter.classify(null)).isEqualTo(Kind.OTHER);
        // a rewritten batch is classified by its head, however long
        assertThat(StatementCounter.classify("INSERT INTO bi_shop (a) VALUES " + "(?),".repeat(100_000) + "(?)"))
                .isEqualTo(Kind.TARGET_WRITE);
    }

    @Test
    void countsStateStatementsApartFromTheRest() {
        StatementCounter.reset();
        StatementCounter.count("SELECT x FROM ferry_synced_key WHERE record_key IN (?)");
        StatementCounter.count("INSERT INTO ferry_synced_key VALUES (?)");
        StatementCounter.count("INSERT INTO bi_shop VALUES (?)");
        StatementCounter.count("SELECT 1");
        assertThat(StatementCounter.get(Kind.DEDUP_QUERY)).isEqualTo(1);
        assertThat(StatementCounter.stateTotal()).isEqualTo(2);
        assertThat(StatementCounter.snapshot()).containsEntry("TARGET_WRITE", 1L).containsEntry("OTHER", 1L);
        StatementCounter.reset();
        assertThat(StatementCounter.stateTotal()).isZero();
    }

    @Test
    void heapWatchKeepsThePeaksAndSeesRealCollections() {
        try (HeapWatch w = HeapWatch.start()) {
            w.record(300, 100);
            w.record(200, 150);
            assertThat(w.peakLive()).isEqualTo(150);
            assertThat(w.peakUsed()).isGreaterThanOrEqualTo(300);

            byte[][] garbage = new byte[64][];
            for (int i = 0; i < garbage.length; i++) {
                garbage[i] = new byte[256 * 1024];
            }
            assertThat(garbage[63]).hasSize(256 * 1024);
            System.gc();
            long deadline = System.currentTimeMillis() + 5_000;
            while (w.gcCount() == 0 && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(w.gcCount()).isPositive();
            // 16 MB were allocated since start: the peak saw them
            assertThat(w.peakUsed()).isGreaterThan(16L << 20);
            assertThat(HeapWatch.poolPeakSum()).isGreaterThanOrEqualTo(16L << 20);
        }
    }

    @Test
    void theEarliestLastCallUnderFiveASecondAndAHundredAMinute() {
        assertThat(OrdersBenchmark.earliestLastCallSecond(1)).isZero();
        assertThat(OrdersBenchmark.earliestLastCallSecond(5)).isZero();
        assertThat(OrdersBenchmark.earliestLastCallSecond(6)).isEqualTo(1);
        assertThat(OrdersBenchmark.earliestLastCallSecond(100)).isEqualTo(19);
        // the 101st call waits for the first to leave the minute
        assertThat(OrdersBenchmark.earliestLastCallSecond(101)).isEqualTo(60);
        assertThat(OrdersBenchmark.earliestLastCallSecond(125)).isEqualTo(64);
        assertThat(OrdersBenchmark.earliestLastCallSecond(201)).isEqualTo(120);
    }

    @Test
    void theBoundIsTheEarliestLastCallUnderEverySlidingWindow() {
        // Jushuitan's 5/s and 100/min: the same schedule as the orders benchmark's
        for (long calls : new long[] { 1, 5, 6, 100, 101, 125, 201 }) {
            assertThat(VendorLimitsBenchmark.boundSeconds(calls, 5, 100)).isEqualTo(OrdersBenchmark.earliestLastCallSecond(calls));
        }
        assertThat(VendorLimitsBenchmark.boundSeconds(200, 5, 100)).as("200 pages of shops").isEqualTo(79);
        assertThat(VendorLimitsBenchmark.boundSeconds(300, 10, 0)).isEqualTo(29);
        // a minute's limit alone: its calls all start at once, until the window is full
        assertThat(VendorLimitsBenchmark.boundSeconds(300, 0, 300)).isZero();
        assertThat(VendorLimitsBenchmark.boundSeconds(301, 0, 300)).isEqualTo(60);
        assertThat(VendorLimitsBenchmark.boundSeconds(601, 0, 300)).isEqualTo(120);
        // 5/s reaches 300 in a minute exactly: the minute adds nothing
        assertThat(VendorLimitsBenchmark.boundSeconds(400, 5, 300)).isEqualTo(79);
        assertThat(VendorLimitsBenchmark.boundSeconds(0, 5, 100)).isZero();
        assertThat(VendorLimitsBenchmark.boundSeconds(1000, 0, 0)).isZero();
    }
}
