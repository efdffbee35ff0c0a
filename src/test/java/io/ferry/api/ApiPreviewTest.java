package io.ferry.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;
import io.ferry.support.TableDump;

/**
 * A sync's preview through the REST API of a running Ferry: what its next run would write and skip, the same as
 * {@code ferry preview} prints, with every table of the state database unchanged; an operator's, refused to a viewer;
 * bad input answers 400.
 */
class ApiPreviewTest {

    @Test
    void anOperatorPreviewsTheNextRunInTheRunningFerryAndNothingChanges() throws Exception {
        try (FerryHarness f = ApiTest.withUsers(new FerryHarness(Db.MARIADB, 60)).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            assertThat(f.runSync(ApiTest.SYNC).written()).isEqualTo(60);
            f.sandbox().jushuitan().addShops(7);
            ApiClient otto = ApiClient.basic(f, "otto", ApiTest.OPERATOR_PW);
            // the API-call log is written in the background: settled before the tables are compared
            Thread.sleep(1500);
            Map<String, List<String>> before = TableDump.all(f.state().dataSource());

            ApiClient.Answer a = otto.get("/syncs/" + ApiTest.SYNC + "/preview?limit=100");
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            assertThat(a.json().at("/summary/text").asText()).isEqualTo("read 67, would write 7 in 1 batch, would skip 60, would reject 0");
            assertThat(a.json().at("/batches/0/rows")).hasSize(7);
            assertThat(a.json().at("/apiCalls").size()).isPositive();
            assertThat(TableDump.all(f.state().dataSource())).as("every table of the state database").isEqualTo(before);

            // a viewer may not make the vendor calls; bad input is a 400 with the reason
            ApiClient vera = ApiClient.basic(f, "vera", ApiTest.VIEWER_PW);
            assertThat(vera.get("/syncs/" + ApiTest.SYNC + "/preview").status()).isEqualTo(403);
            ApiClient.Answer window = otto.get("/syncs/" + ApiTest.SYNC + "/preview?window=yesterday");
            assertThat(window.status()).isEqualTo(400);
            assertThat(window.json().path("error").asText()).contains("window must be START/END or START/DURATION");
            ApiClient.Answer notWindowed = otto.get("/syncs/" + ApiTest.SYNC + "/preview?window=2026-11-01T00:00%2B08:00/P1D");
            assertThat(notWindowed.status()).isEqualTo(400);
            assertThat(notWindowed.json().path("error").asText()).contains("is not read by time window");
            assertThat(otto.get("/syncs/" + ApiTest.SYNC + "/preview?limit=0").status()).isEqualTo(400);
            assertThat(otto.get("/syncs/no-such-sync/preview").status()).isEqualTo(404);
        }
    }
}
