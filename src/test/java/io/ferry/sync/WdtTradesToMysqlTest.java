package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ferry.kernel.ConfigurationException;
import io.ferry.sandbox.WangdiantongTrades;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** routes/wdt-trades-to-mysql.yaml against the Wangdiantong simulator's trades (direct API) on MariaDB. */
class WdtTradesToMysqlTest {

    private static final String SYNC = "wdt-trades-to-mysql";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private static Instant parse(String s) {
        return LocalDateTime.parse(s, TIME).atZone(ZoneId.of("Asia/Shanghai")).toInstant();
    }

    private static long lines(List<Map<String, Object>> trades) {
        return trades.stream().mapToLong(t -> ((List<?>) t.get("detail_list")).size()).sum();
    }

    @Test
    void hourWindowsInOrderAChangedTradeHasItsLinesReplaced() throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(6)).minusSeconds(600);
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 400)) {
            f.sandbox().wangdiantong().rateLimit(false);
            f.with("ferry.sync.wdt-trades-to-mysql.window-start", start.toString()).with("ferry.sync.wdt-trades-to-mysql.lag", "PT3S")
                    .start();
            WangdiantongTrades trades = f.sandbox().wangdiantong().trades();
            RunRecord first = f.runSync(SYNC);
            List<Map<String, Object>> visible = trades.current(Instant.now().minusSeconds(3));
            assertThat(first.status()).as(first.error()).isEqualTo("succeeded");
            assertThat(f.count("SELECT COUNT(*) FROM bi_trade")).isEqualTo(visible.size());
            assertThat(f.count("SELECT COUNT(*) FROM bi_trade_line")).isEqualTo(lines(visible));
            List<List<Object>> asked = trades.asked();
            assertThat(asked).allSatisfy(a -> assertThat(Duration.between(parse((String) a.get(0)), parse((String) a.get(1))))
                    .isLessThanOrEqualTo(Duration.ofMinutes(60)));
            // seven 60-minute windows (6 h 10 min less their one-second overlaps, plus the 5-minute lookback), each from page_no 0
            assertThat(asked.stream().filter(a -> (Integer) a.get(2) == 0).count()).isEqualTo(7);

            long id = 50_000_010L;
            Map<String, Object> latest = trades.modify(id, Instant.now().truncatedTo(ChronoUnit.SECONDS));
            trades.modify(id, Instant.now().truncatedTo(ChronoUnit.SECONDS)); // twice: a line added, then removed
            latest = trades.latest(id);
            Thread.sleep(5_500); // past the sync's lag and the replica lag
            RunRecord second = f.runSync(SYNC);
            assertThat(second.status()).isEqualTo("succeeded");
            assertThat(second.written()).isEqualTo(1);
            List<String> expected = new ArrayList<>();
            for (Object o : (List<?>) latest.get("detail_list")) {
                Map<?, ?> l = (Map<?, ?>) o;
                expected.add(l.get("rec_id") + ":" + l.get("num"));
            }
            assertThat(f.sql().query("SELECT rec_id, num FROM bi_trade_line WHERE trade_id = ?", rs -> rs.getLong(1) + ":" + rs.getInt(2), id))
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertThat(f.count("SELECT COUNT(*) FROM bi_trade_line")).isEqualTo(lines(trades.current(Instant.now())));
        }
    }

    @Test
    void aWindowLongerThanAnHourIsRefusedAtStart() {
        try (FerryHarness f = new FerryHarness(Db.H2, 1).with("ferry.sync.wdt-trades-to-mysql.window-size", "PT90M")) {
            assertThatThrownBy(f::start).isInstanceOf(ConfigurationException.class).satisfies(e -> assertThat(e.getMessage())
                    .contains("route 'wdt-trades-to-mysql' (a templatedRoute)").contains("windowSize=PT1H30M (90 minutes)").contains("1 hour (PT1H)"));
        }
    }
}
