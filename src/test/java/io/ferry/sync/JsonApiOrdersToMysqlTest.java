package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** The shipped sync routes/jsonapi-orders-to-mysql.yaml against the JSON API simulator, into MariaDB. */
class JsonApiOrdersToMysqlTest {

    private static final String SYNC = "jsonapi-orders-to-mysql";

    @Test
    void everyOrderArrivesOnceThroughCursorPagingAndASecondRunWritesNothing() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 250)) {
            f.with("ferry.sync.jsonapi-orders-to-mysql.page-size", "40").start();
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).as(run.error()).isEqualTo("succeeded");
            assertThat(run.read()).isEqualTo(250);
            assertThat(run.written()).isEqualTo(250);
            assertThat(run.pages()).isEqualTo(7); // 6 full pages of 40 and one of 10
            assertThat(f.count("SELECT COUNT(*) FROM bi_api_order")).isEqualTo(250);
            Map<String, Object> first = f.sandbox().jsonApi().order(0);
            List<Object[]> rows = f.sql().query("SELECT customer, amount, currency FROM bi_api_order WHERE order_no = ?",
                    rs -> new Object[] { rs.getString(1), rs.getBigDecimal(2), rs.getString(3) }, first.get("order_no"));
            assertThat(rows).singleElement().satisfies(r -> {
                assertThat(r[0]).isEqualTo(first.get("customer"));
                assertThat((BigDecimal) r[1]).isEqualByComparingTo(String.valueOf(first.get("amount")));
                assertThat(r[2]).isEqualTo("CNY");
            });

            RunRecord again = f.runSync(SYNC);
            assertThat(again.status()).isEqualTo("succeeded");
            assertThat(again.skipped()).isEqualTo(250);
            assertThat(again.written()).isZero();
        }
    }

    @Test
    void aRefusedTokenFailsTheRunAtOnceNamingItsPropertyAndNeverLogsIt() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 30)) {
            f.with("ferry.sync.jsonapi-orders-to-mysql.token", "not-the-token-1234").start();
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("failed");
            assertThat(run.error()).contains("refused the credentials (HTTP 401)").contains("invalid_token")
                    .contains("ferry.sync.jsonapi-orders-to-mysql.token (FERRY_JSONAPI_ORDERS_TOKEN)")
                    .doesNotContain("not-the-token-1234");
            assertThat(f.sandbox().jsonApi().requests()).isEqualTo(1); // not retried
        }
    }

    @Test
    void aTokenThatIsNotSetFailsTheRunNamingTheProperty() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 30)) {
            f.with("ferry.sync.jsonapi-orders-to-mysql.token", "").start();
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("failed");
            assertThat(run.error()).contains("ferry.sync.jsonapi-orders-to-mysql.token").contains("is not set");
            assertThat(f.sandbox().jsonApi().requests()).isZero();
        }
    }
}
