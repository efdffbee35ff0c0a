package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.ferry.sandbox.KingdeeSimulator;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * routes/kingdee-customers-to-mysql.yaml end to end against the Kingdee simulator's BD_Customer on MariaDB: day
 * windows on FModifyDate written into FilterString in the server's time, read in order, page by page; a customer
 * saved again is written again; a customer saved exactly at a bound arrives once; a run that fails mid-window resumes
 * at that window.
 */
class KingdeeCustomersToMysqlTest {

    private static final String SYNC = "kingdee-customers-to-mysql";
    private static final ZoneId SERVER = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter FILTER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Pattern WINDOW = Pattern.compile("FModifyDate >= '([^']+)' and FModifyDate <= '([^']+)'");
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration LOOKBACK = Duration.ofMinutes(10);
    private static final int PAGE = 5;
    private static final int PER_WINDOW = 12;

    /** Five days of day windows, pages of 5; the first window begins at start less the lookback and a second. */
    private static FerryHarness harness(Instant start) {
        return new FerryHarness(Db.MARIADB, 0).with("ferry.sync.kingdee-customers-to-mysql.window-start", start.toString())
                .with("ferry.sync.kingdee-customers-to-mysql.window-size", "P1D")
                .with("ferry.sync.kingdee-customers-to-mysql.lookback", "PT10M")
                .with("ferry.sync.kingdee-customers-to-mysql.lag", "PT2S")
                .with("ferry.sync.kingdee-customers-to-mysql.page-size", String.valueOf(PAGE))
                .with("ferry.sync.kingdee-customers-to-mysql.batch-size", "4");
    }

    private static Instant start() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(5));
    }

    /** The first run's window w: each begins a second before the previous one's end and spans a day. */
    private static Instant windowBegin(Instant start, int w) {
        return start.minus(LOOKBACK).minusSeconds(1).plus(DAY.minusSeconds(1).multipliedBy(w));
    }

    /** A customer stored as saved at this instant (the simulator keeps the server's local time). */
    private static void customer(KingdeeSimulator kd, String number, Instant modified) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("FNumber", number);
        c.put("FName", "客户 " + number);
        c.put("FShortName", number.toLowerCase());
        c.put("FCreateOrgId", Map.of("FNumber", "100"));
        c.put("FUseOrgId", Map.of("FNumber", "101"));
        c.put("FCreateDate", LocalDateTime.ofInstant(modified.minus(Duration.ofDays(30)), SERVER));
        c.put("FModifyDate", LocalDateTime.ofInstant(modified, SERVER));
        kd.preSave(KingdeeSimulator.FORM, c);
    }

    /** 12 customers inside each of the first run's windows 0 to 3, one hour into it and 10 minutes apart. */
    private static int spread(KingdeeSimulator kd, Instant start) {
        for (int w = 0; w < 4; w++) {
            for (int i = 0; i < PER_WINDOW; i++) {
                customer(kd, String.format("C%d-%02d", w, i), windowBegin(start, w).plus(Duration.ofHours(1)).plus(Duration.ofMinutes(10L * i)));
            }
        }
        return 4 * PER_WINDOW;
    }

    private static String local(Instant t) {
        return FILTER_TIME.format(t.atZone(SERVER));
    }

    private static Instant instant(String local) {
        return LocalDateTime.parse(local, FILTER_TIME).atZone(SERVER).toInstant();
    }

    /** A query's window as asked: begin, end (server's time) and StartRow. */
    private record Asked(String begin, String end, int startRow) {
        static Asked of(List<Object> query) {
            Matcher m = WINDOW.matcher(String.valueOf(query.get(1)));
            assertThat(m.matches()).as("FilterString %s", query.get(1)).isTrue();
            return new Asked(m.group(1), m.group(2), (Integer) query.get(2));
        }
    }

    private static List<Asked> asked(KingdeeSimulator kd, int from) {
        List<Asked> out = new ArrayList<>();
        for (List<Object> q : kd.queriesAsked().subList(from, kd.queriesAsked().size())) {
            assertThat(q.get(0)).isEqualTo("BD_Customer");
            out.add(Asked.of(q));
        }
        return out;
    }

    @Test
    void readsDayWindowsInOrderPageByPageIntoMariaDbAndASecondRunWritesNothing() throws Exception {
        Instant start = start();
        try (FerryHarness f = harness(start)) {
            KingdeeSimulator kd = f.sandbox().kingdee();
            int total = spread(kd, start);
            f.start();
            Instant runStarted = Instant.now();
            RunRecord first = f.runSync(SYNC);
            assertThat(first.status()).as(first.error()).isEqualTo("succeeded");
            assertThat(first.read()).isEqualTo(total);
            assertThat(first.written()).isEqualTo(total);
            assertThat(f.count("SELECT COUNT(*) FROM bi_kingdee_customer")).isEqualTo(total);

            // the bounds are the server's local time, both inclusive, each window from a second before the last one's end
            List<Asked> asked = asked(kd, 0);
            assertThat(asked.get(0)).isEqualTo(new Asked(local(windowBegin(start, 0)), local(windowBegin(start, 0).plus(DAY)), 0));
            List<Asked> firstPages = asked.stream().filter(a -> a.startRow() == 0).toList();
            for (int i = 1; i < firstPages.size(); i++) {
                assertThat(instant(firstPages.get(i).begin())).isEqualTo(instant(firstPages.get(i - 1).end()).minusSeconds(1));
            }
            assertThat(firstPages).allSatisfy(a -> assertThat(Duration.between(instant(a.begin()), instant(a.end()))).isLessThanOrEqualTo(DAY));
            Instant lastEnd = instant(firstPages.get(firstPages.size() - 1).end());
            assertThat(lastEnd).isBefore(runStarted.minusSeconds(1)).isAfter(runStarted.minusSeconds(10));
            // the windows with 12 customers are paged 0, 5, 10 (a short page ends each); the others are one call
            for (int w = 0; w < 4; w++) {
                String begin = local(windowBegin(start, w));
                assertThat(asked.stream().filter(a -> a.begin().equals(begin)).map(Asked::startRow)).containsExactly(0, PAGE, 2 * PAGE);
            }
            assertThat(asked).hasSize(4 * 3 + firstPages.size() - 4);
            assertThat(Instant.parse(f.state().offsets().find(SYNC))).isEqualTo(lastEnd);

            // a row as Kingdee holds the customer: its times to the second, as the server shows them
            Map<String, Object> c = kd.customer("C2-05");
            String row = f.sql().queryOne("SELECT customer_id, name, short_name, create_org, use_org, document_status, forbid_status,"
                    + " DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%s'), DATE_FORMAT(modified, '%Y-%m-%dT%H:%i:%s')"
                    + " FROM bi_kingdee_customer WHERE number = ?", rs -> {
                        StringBuilder sb = new StringBuilder();
                        for (int i = 1; i <= 9; i++) {
                            sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                        }
                        return sb.toString();
                    }, "C2-05");
            assertThat(row).isEqualTo(c.get("FCUSTID") + "|客户 C2-05|c2-05|100|101|C|A|"
                    + ((String) c.get("FCreateDate")).substring(0, 19) + "|" + ((String) c.get("FModifyDate")).substring(0, 19));

            Thread.sleep(2_000); // a run within the same second as the last has nothing to ask for
            int before = kd.queriesAsked().size();
            RunRecord second = f.runSync(SYNC);
            assertThat(second.status()).as(second.error()).isEqualTo("succeeded");
            assertThat(second.written()).isZero();
            // it reaches back by the lookback and a second from where the first one ended
            assertThat(asked(kd, before).get(0).begin()).isEqualTo(local(lastEnd.minus(LOOKBACK).minusSeconds(1)));
            assertThat(f.count("SELECT COUNT(*) FROM bi_kingdee_customer")).isEqualTo(total);
        }
    }

    @Test
    void aCustomerSavedAgainInKingdeeIsWrittenAgainByTheNextRun() throws Exception {
        Instant start = start();
        try (FerryHarness f = harness(start)) {
            KingdeeSimulator kd = f.sandbox().kingdee();
            int total = spread(kd, start);
            f.start();
            assertThat(f.runSync(SYNC).written()).isEqualTo(total);
            String before = (String) kd.customer("C1-03").get("FModifyDate");

            kd.saveAgain(KingdeeSimulator.FORM, "C1-03", Map.of("FName", "客户 C1-03 改名", "FShortName", "renamed"));
            String after = (String) kd.customer("C1-03").get("FModifyDate");
            assertThat(after).isGreaterThan(before);
            Thread.sleep(3_500); // past the sync's lag (2 s)
            RunRecord next = f.runSync(SYNC);
            assertThat(next.status()).as(next.error()).isEqualTo("succeeded");
            assertThat(next.written()).isEqualTo(1);
            String row = f.sql().queryOne("SELECT name, short_name, DATE_FORMAT(modified, '%Y-%m-%dT%H:%i:%s') FROM bi_kingdee_customer"
                    + " WHERE number = ?", rs -> rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3), "C1-03");
            assertThat(row).isEqualTo("客户 C1-03 改名|renamed|" + after.substring(0, 19));
            assertThat(f.count("SELECT COUNT(*) FROM bi_kingdee_customer")).isEqualTo(total);
        }
    }

    @Test
    void aCustomerSavedExactlyAtAWindowBoundArrivesOnce() throws Exception {
        Instant start = start();
        try (FerryHarness f = harness(start)) {
            KingdeeSimulator kd = f.sandbox().kingdee();
            Instant end = windowBegin(start, 0).plus(DAY);
            customer(kd, "AT-BEGIN", windowBegin(start, 0));
            customer(kd, "BEFORE-END", end.minusSeconds(1));  // in the overlap second too
            customer(kd, "AT-END", end);                      // the first window's end: both windows read it
            customer(kd, "PAST-END", end.plusMillis(500));    // between two seconds: the next window only
            customer(kd, "INSIDE", end.minus(Duration.ofHours(3)));
            f.start();
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).as(run.error()).isEqualTo("succeeded");
            // BEFORE-END and AT-END come in both windows' answers, and are written once
            assertThat(run.read()).isEqualTo(7);
            assertThat(run.written()).isEqualTo(5);
            assertThat(f.sql().query("SELECT number FROM bi_kingdee_customer", rs -> rs.getString(1)))
                    .containsExactlyInAnyOrder("AT-BEGIN", "BEFORE-END", "AT-END", "PAST-END", "INSIDE");
            assertThat((String) f.sql().queryOne("SELECT DATE_FORMAT(modified, '%Y-%m-%d %H:%i:%s') FROM bi_kingdee_customer WHERE number = 'AT-END'",
                    rs -> rs.getString(1))).isEqualTo(local(end));
            assertThat(f.count("SELECT COUNT(*) FROM ferry_dead_letter")).isZero();
        }
    }

    @Test
    void aRunThatFailsMidWindowResumesAtThatWindow() throws Exception {
        Instant start = start();
        try (FerryHarness f = harness(start)) {
            KingdeeSimulator kd = f.sandbox().kingdee();
            int total = spread(kd, start);
            f.start();
            // window 0 is pages 1-3 (12 customers, pages of 5); page 2 of window 1, the 5th query, keeps deadlocking
            kd.deadlockQueriesFrom(5, 100);
            RunRecord failed = f.runSync(SYNC);
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(failed.error()).contains("死锁");
            Instant firstEnd = windowBegin(start, 0).plus(DAY);
            // the position moved past window 0, not into window 1
            assertThat(Instant.parse(f.state().offsets().find(SYNC))).isEqualTo(firstEnd);
            long written = f.count("SELECT COUNT(*) FROM bi_kingdee_customer");
            assertThat(f.count("SELECT COUNT(*) FROM bi_kingdee_customer WHERE number LIKE 'C0-%'")).isEqualTo(PER_WINDOW);
            assertThat(f.count("SELECT COUNT(*) FROM bi_kingdee_customer WHERE number LIKE 'C2-%' OR number LIKE 'C3-%'")).isZero();
            assertThat(written).isEqualTo(failed.written()).isBetween((long) PER_WINDOW, (long) PER_WINDOW + PAGE);

            kd.clearFaults();
            int before = kd.queriesAsked().size();
            RunRecord resumed = f.runSync(SYNC);
            assertThat(resumed.status()).as(resumed.error()).isEqualTo("succeeded");
            // from window 1's first page, less the lookback and a second
            assertThat(asked(kd, before).get(0)).isEqualTo(new Asked(local(firstEnd.minus(LOOKBACK).minusSeconds(1)),
                    local(firstEnd.minus(LOOKBACK).minusSeconds(1).plus(DAY)), 0));
            assertThat(resumed.written()).isEqualTo(total - written);
            assertThat(f.count("SELECT COUNT(*) FROM bi_kingdee_customer")).isEqualTo(total);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_dead_letter")).isZero();
        }
    }
}
