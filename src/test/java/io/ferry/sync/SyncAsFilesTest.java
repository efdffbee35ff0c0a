package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * A new sync added as an integration engineer adds one: a route file (a templatedRoute of ferry-sync) and a mapping,
 * no Java. It reads the JSON API simulator by offset and limit, a paging style no shipped sync uses, into a table
 * of its own.
 */
class SyncAsFilesTest {

    @TempDir
    Path dir;

    @Test
    void aTemplatedRouteAndAMappingAreAWholeSync() throws Exception {
        Files.writeString(dir.resolve("api-customers.jsonata"), """
                { "order_no": order_no, "customer": $uppercase(customer) }
                """);
        Files.writeString(dir.resolve("api-customers.yaml"), """
                - templatedRoute:
                    routeTemplateRef: ferry-sync
                    routeId: api-customers
                    parameters:
                      - { name: sync, value: api-customers }
                      - { name: key, value: order_no }
                      - { name: cron, value: "0 0 3 * * ?" }
                      - name: source
                        value: "jsonapi:orders?url=RAW({{ferry.sandbox.jsonapi.url}}/v1/orders/by-offset)&records=items&paging=offset&endSignal=total:total,short&pageSize=30&bearerTokenProperty=ferry.sync.jsonapi-orders-to-mysql.token"
                      - { name: mapping, value: "%s" }
                      - { name: batchSize, value: "25" }
                      - name: sink
                        value: "sql:INSERT INTO api_customer (order_no, customer) VALUES (:#order_no, :#customer) ON DUPLICATE KEY UPDATE customer = VALUES(customer)?batch=true&dataSource=#biDataSource"
                """.formatted(dir.resolve("api-customers.jsonata")));
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 95)
                .withRoutes("file:routes/ferry-sync.yaml,file:routes/ferry-templates.yaml,file:" + dir + "/*.yaml").start()) {
            f.sql().update("CREATE TABLE api_customer (order_no VARCHAR(40) PRIMARY KEY, customer VARCHAR(100))");
            RunRecord run = f.runSync("api-customers");
            assertThat(run.status()).as(run.error()).isEqualTo("succeeded");
            assertThat(run.read()).isEqualTo(95);
            assertThat(run.written()).isEqualTo(95);
            assertThat(run.pages()).isEqualTo(4); // 30 + 30 + 30 + 5: the total ends it without asking past the end
            assertThat(f.count("SELECT COUNT(*) FROM api_customer")).isEqualTo(95);
            assertThat(f.count("SELECT COUNT(*) FROM api_customer WHERE customer <> UPPER(customer)")).isZero();
            // Ferry added its schedule and its sink route from the template's parameters
            assertThat(f.app().camel().getRoute("api-customers-schedule")).isNotNull();
            assertThat(f.app().camel().getRoute("api-customers-write")).isNotNull();

            RunRecord again = f.runSync("api-customers");
            assertThat(again.status()).isEqualTo("succeeded");
            assertThat(again.skipped()).isEqualTo(95);
            assertThat(again.written()).isZero();
        }
    }
}
