package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** routes/jst-shops-to-mysql.yaml end to end against the Jushuitan simulator, on MariaDB and on H2. */
class JstShopsToMysqlTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void syncsEveryShopOnceAndASecondRunWritesNothing(Db db) throws Exception {
        try (FerryHarness f = new FerryHarness(db, 250).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            RunRecord first = f.runSync("jst-shops-to-mysql");
            assertThat(first.status()).isEqualTo("succeeded");
            assertThat(first.pages()).isEqualTo(3);
            assertThat(first.read()).isEqualTo(250);
            assertThat(first.written()).isEqualTo(250);
            assertThat(first.skipped()).isZero();
            assertThat(first.failed()).isZero();
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(250);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key WHERE sync_name = 'jst-shops-to-mysql'")).isEqualTo(250);
            // mapping: names trimmed, times converted, nested source fields flattened
            String row = f.sql().queryOne("SELECT shop_name, created_at, group_name FROM bi_shop WHERE shop_id = 10000007",
                    rs -> rs.getString(1) + "|" + rs.getTimestamp(2) + "|" + rs.getString(3));
            assertThat(row)
                    .isEqualTo("聚水潭测试店铺7|2024-08-08 07:07:49.0|分组2");

            RunRecord second = f.runSync("jst-shops-to-mysql");
            assertThat(second.status()).isEqualTo("succeeded");
            assertThat(second.read()).isEqualTo(250);
            assertThat(second.skipped()).isEqualTo(250);
            assertThat(second.written()).isZero();
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(250);

            f.sandbox().jushuitan().addShops(30);
            RunRecord third = f.runSync("jst-shops-to-mysql");
            assertThat(third.written()).isEqualTo(30);
            assertThat(third.skipped()).isEqualTo(250);
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(280);
        }
    }
}
