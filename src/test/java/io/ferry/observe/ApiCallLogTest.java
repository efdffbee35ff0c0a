package io.ferry.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.ferry.http.ApiCall;
import io.ferry.state.ApiCallRepository;
import io.ferry.state.ApiCallRepository.Search;
import io.ferry.state.ApiCallRepository.StoredCall;
import io.ferry.state.Databases;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;
import io.ferry.support.TestDatabases;

/** The API-call log: every vendor call of a sandbox run stored, masked, truncated, searchable, pruned by age. */
class ApiCallLogTest {

    @ParameterizedTest
    @EnumSource(Db.class)
    void everyCallOfARunIsLoggedMaskedAndTruncated(Db db) throws Exception {
        try (FerryHarness f = new FerryHarness(db, 250).with("ferry.api-log.body-max-chars", "300").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            RunRecord run = f.runSync("jst-shops-to-mysql");
            assertThat(run.status()).isEqualTo("succeeded");
            // the safety net knows the secrets given as overrides, not only those in application.properties
            SecretMasker masker = SecretMasker.from(f.app().camel().getPropertiesComponent(), java.util.Map.of());
            for (String key : List.of("camel.component.jushuitan.app-secret", "camel.component.jushuitan.access-token")) {
                assertThat(masker.mask("x " + f.sandbox().properties().get(key) + " y")).isEqualTo("x *** y");
            }
            // a clean stop writes what is still queued (and closes Ferry's pools: read through one of the test's own)
            f.app().close();

            try (com.zaxxer.hikari.HikariDataSource ds = f.separatePool()) {
                List<StoredCall> calls = new ApiCallRepository(ds).search(new Search("jst-shops-to-mysql", null, null, null, 100));
                assertThat(calls).hasSize(3);
                for (StoredCall c : calls) {
                    ApiCall a = c.call();
                    assertThat(a.runId()).isEqualTo(run.id());
                    assertThat(a.system()).isEqualTo("jushuitan");
                    assertThat(a.direction()).isEqualTo("pull");
                    assertThat(a.endpoint()).isEqualTo("/open/shops/query");
                    assertThat(a.httpStatus()).isEqualTo(200);
                    assertThat(a.vendorCode()).isEqualTo("0");
                    assertThat(a.requestBody()).contains("access_token=***").contains("sign=***");
                    assertThat(a.responseBody()).endsWith("…[truncated]");
                    assertThat(a.responseBody().length()).isEqualTo(300 + "…[truncated]".length());
                }
                String secret = f.sandbox().properties().get("camel.component.jushuitan.app-secret");
                String token = f.sandbox().properties().get("camel.component.jushuitan.access-token");
                for (String s : List.of(token, secret)) {
                    assertThat(new ApiCallRepository(ds).search(new Search(null, s, null, null, 10))).isEmpty();
                }
                // search by a record key that one response carries
                var m = java.util.regex.Pattern.compile("\"shop_id\":\\s*(\\d+)").matcher(calls.get(2).call().responseBody());
                assertThat(m.find()).as("a shop_id in " + calls.get(2).call().responseBody()).isTrue();
                List<StoredCall> found = new ApiCallRepository(ds).search(new Search("jst-shops-to-mysql", "\"shop_id\":" + m.group(1) + ",",
                        Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofMinutes(1)), 10));
                assertThat(found).extracting(StoredCall::id).containsExactly(calls.get(2).id());
            }
        }
    }

    @Test
    void secondMaskingPassCatchesSecretsTheClientLeftIn() throws Exception {
        String url = TestDatabases.newH2Database();
        try (var ds = Databases.pool("t", url, "sa", "", 2)) {
            Databases.migrateState(ds);
            ApiCallRepository repo = new ApiCallRepository(ds);
            ApiCallLog log = new ApiCallLog(repo, new SecretMasker(Set.of("s3cr3t-value", "tok/en+1")), 1000, 10, 4, 1000);
            log.start();
            log.record(call("a=s3cr3t-value&b=tok%2Fen%2B1", "{\"echo\":\"tok/en+1\"}", Instant.now()));
            log.stop();
            ApiCall stored = repo.search(new Search(null, null, null, null, 10)).get(0).call();
            assertThat(stored.requestBody()).isEqualTo("a=***&b=***");
            assertThat(stored.responseBody()).isEqualTo("{\"echo\":\"***\"}");
        }
    }

    /**
     * A long body is cut before it is queued (the queue must not hold whole pages), masked and cut again when it is
     * written: whatever the secrets around the cuts, no part of a secret is stored, and what is stored is a prefix
     * of the masked body.
     */
    @Test
    void aLongBodyIsCutBeforeItIsQueuedWithoutLeavingHalfASecret() {
        String secret = "K9wQ-secret-7zX";
        SecretMasker masker = new SecretMasker(Set.of(secret));
        int max = 40;
        ApiCallLog log = new ApiCallLog(null, masker, max, 10, 4, 1000);
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            while (b.length() < random.nextInt(200)) {
                b.append(random.nextBoolean() ? secret : "ab".repeat(random.nextInt(6)));
            }
            String body = b.toString();
            String queued = log.precut(body);
            assertThat(queued.length()).isLessThanOrEqualTo(max + masker.longest() + 1);
            String stored = log.body(queued);
            String kept = stored.endsWith("…[truncated]") ? stored.substring(0, stored.length() - "…[truncated]".length()) : stored;
            for (int n = 4; n <= secret.length(); n++) {
                for (int from = 0; from + n <= secret.length(); from++) {
                    assertThat(kept).as("body %s stored as %s", body, stored).doesNotContain(secret.substring(from, from + n));
                }
            }
            assertThat(masker.mask(body)).startsWith(kept);
            assertThat(kept.length()).isLessThanOrEqualTo(max);
        }
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void aCleanStopLosesNoCallAndRetentionPrunesOldOnes(Db db) throws Exception {
        boolean maria = db == Db.MARIADB;
        String url = maria ? TestDatabases.newMysqlDatabase() : TestDatabases.newH2Database();
        try (var ds = Databases.pool("t", url, maria ? TestDatabases.MYSQL_USER : "sa", maria ? TestDatabases.MYSQL_PASSWORD : "", 2)) {
            Databases.migrateState(ds);
            ApiCallRepository repo = new ApiCallRepository(ds);
            ApiCallLog log = new ApiCallLog(repo, new SecretMasker(Set.of()), 1000, 20_000, 200, 5000);
            log.start();
            long t0 = System.nanoTime();
            for (int i = 0; i < 10_000; i++) {
                log.record(call("req " + i, "resp " + i, Instant.now()));
            }
            long enqueueMillis = (System.nanoTime() - t0) / 1_000_000;
            log.stop();
            assertThat(repo.count()).isEqualTo(10_000);
            assertThat(log.dropped()).isZero();
            // recording only queues: 10,000 calls take well under a second on the caller's thread
            assertThat(enqueueMillis).isLessThan(2000);

            ApiCallLog old = new ApiCallLog(repo, new SecretMasker(Set.of()), 1000, 10, 10, 1000);
            old.start();
            old.record(call("old", "old", Instant.now().minus(Duration.ofDays(40))));
            old.stop();
            ApiCallRetention retention = new ApiCallRetention(repo, 30);
            assertThat(retention.pruneNow()).isEqualTo(1);
            assertThat(repo.count()).isEqualTo(10_000);
            Timestamp oldest = new io.ferry.state.Sql(ds).queryOne("SELECT MIN(called_at) FROM ferry_api_call",
                    rs -> rs.getTimestamp(1));
            assertThat(oldest.toInstant()).isAfter(Instant.now().minus(Duration.ofDays(1)));
        } finally {
            if (maria) {
                TestDatabases.dropMysqlDatabase(url);
            }
        }
    }

    private static ApiCall call(String req, String resp, Instant at) {
        return new ApiCall("s", 1L, "test", "pull", "/x", 200, "0", 5, req, resp, null, at);
    }
}
