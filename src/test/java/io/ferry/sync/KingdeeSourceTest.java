package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ferry.sandbox.KingdeeSimulator;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * Kingdee as a source end to end: a sync route file (written here) reads BD_Customer from the simulator with
 * kingdee:query — FieldKeys, a FilterString on FModifyDate, StartRow/Limit pages until a short one — into a MariaDB
 * table.
 */
class KingdeeSourceTest {

    private static final String SYNC = "kd-customers-to-mysql";

    private static String route(String query, Path mapping) {
        return """
                - route:
                    id: kd-customers-to-mysql
                    routeConfigurationId: ferry-sync
                    from:
                      uri: direct:kd-customers-to-mysql
                      steps:
                        - to: "ferry:start?sync=kd-customers-to-mysql&key=FNumber"
                        - loop:
                            doWhile: true
                            simple: "${exchangeProperty.FerryRun.hasMore}"
                            steps:
                              - to: "%s"
                              - to: ferry:dedup
                              - split:
                                  simple: "${body}"
                                  stopOnException: true
                                  steps:
                                    - to: "ferry:map?mapping=%s"
                                    - to: "ferry:aggregate?size=10&sink=direct:kd-customers-to-mysql-write"
                        - to: ferry:finish

                - route:
                    id: kd-customers-to-mysql-write
                    routeConfigurationId: ferry-sync
                    from:
                      uri: direct:kd-customers-to-mysql-write
                      steps:
                        - to: "sql:INSERT INTO kd_customer (id, number, name, modified) VALUES (:#FCUSTID, :#FNumber, :#FName, :#FModifyDate)?batch=true&dataSource=#biDataSource"
                """.formatted(query, mapping);
    }

    private static FerryHarness harness(Path dir, String query) throws Exception {
        Path file = dir.resolve("kd-customers-to-mysql.yaml");
        Path mapping = dir.resolve("kd-customer-to-bi.jsonata");
        Files.writeString(mapping, "{ \"FCUSTID\": FCUSTID, \"FNumber\": FNumber, \"FName\": FName, \"FModifyDate\": FModifyDate }");
        Files.writeString(file, route(query, mapping));
        return new FerryHarness(Db.MARIADB, 0).withRoutes("file:routes/ferry-sync.yaml,file:" + file);
    }

    @Test
    void readsTheCustomersTheFilterSelectsPageByPageIntoMariaDb(@TempDir Path dir) throws Exception {
        String query = "kingdee:query?formId=BD_Customer&fieldKeys=FCUSTID,FNumber,FName,FModifyDate&pageSize=7"
                + "&filter=RAW(FModifyDate >= '2024-01-01 00:00:00' and FModifyDate < '2030-01-01')";
        try (FerryHarness f = harness(dir, query).start()) {
            f.sql().update("CREATE TABLE kd_customer (id BIGINT PRIMARY KEY, number VARCHAR(40) NOT NULL, name VARCHAR(80),"
                    + " modified VARCHAR(30))");
            KingdeeSimulator kd = f.sandbox().kingdee();
            for (int i = 1; i <= 25; i++) {
                kd.preSave(String.format("C-%03d", i), "客户" + i);
            }
            // three customers last changed before the filter's window: not read
            for (String n : new String[] { "C-003", "C-010", "C-024" }) {
                kd.modifiedAt(KingdeeSimulator.FORM, n, LocalDateTime.of(2023, 12, 31, 23, 59, 59));
            }
            long queriesBefore = kd.queries();

            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.read()).isEqualTo(22);
            assertThat(run.written()).isEqualTo(22);
            // 7 + 7 + 7 + 1: the short page ends it
            assertThat(run.pages()).isEqualTo(4);
            assertThat(kd.queries() - queriesBefore).isEqualTo(4);
            assertThat(f.count("SELECT COUNT(*) FROM kd_customer")).isEqualTo(22);
            assertThat(f.count("SELECT COUNT(*) FROM kd_customer WHERE number IN ('C-003', 'C-010', 'C-024')")).isZero();
            long id = ((Number) kd.customer("C-007").get("FCUSTID")).longValue();
            String row = f.sql().queryOne("SELECT number, name, modified FROM kd_customer WHERE id = ?",
                    rs -> rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3), id);
            assertThat(row).isEqualTo("C-007|客户7|" + kd.customer("C-007").get("FModifyDate"));
            // Kingdee's way of showing a time: the server's zone, to the millisecond
            assertThat(row.substring(row.lastIndexOf('|') + 1)).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}");

            RunRecord again = f.runSync(SYNC);
            assertThat(again.status()).isEqualTo("succeeded");
            assertThat(again.read()).isEqualTo(22);
            assertThat(again.skipped()).isEqualTo(22);
            assertThat(again.written()).isZero();
        }
    }

    @Test
    void aFormTheServerDoesNotHaveFailsTheRunAtOnceNamingIt(@TempDir Path dir) throws Exception {
        try (FerryHarness f = harness(dir, "kingdee:query?formId=BD_Custmer&fieldKeys=FCUSTID,FNumber,FName,FModifyDate").start()) {
            f.sql().update("CREATE TABLE kd_customer (id BIGINT PRIMARY KEY, number VARCHAR(40), name VARCHAR(80), modified VARCHAR(30))");
            long before = f.sandbox().kingdee().queries();
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("failed");
            assertThat(run.error()).contains("the form BD_Custmer does not exist").contains("MsgCode 4")
                    .contains("标识为“BD_Custmer”的业务对象不存在，或者被删除");
            // not retried: one query
            assertThat(f.sandbox().kingdee().queries() - before).isEqualTo(1);
        }
    }

    @Test
    void aFieldKeyTheFormDoesNotHaveFailsTheRunAtOnce(@TempDir Path dir) throws Exception {
        try (FerryHarness f = harness(dir, "kingdee:query?formId=BD_Customer&fieldKeys=FCUSTID,FNumber,FName,FModifyDate,FNoSuchField")
                .start()) {
            f.sandbox().kingdee().preSave("C-1", "客户1");
            long before = f.sandbox().kingdee().queries();
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("failed");
            assertThat(run.error()).contains("元数据中标识为FNoSuchField的字段不存在").contains("MsgCode 9");
            assertThat(f.sandbox().kingdee().queries() - before).isEqualTo(1);
        }
    }
}
