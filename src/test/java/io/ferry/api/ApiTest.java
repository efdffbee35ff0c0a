package io.ferry.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.ferry.auth.Secrets;
import io.ferry.http.ApiCall;
import io.ferry.sandbox.Faults;
import io.ferry.sandbox.JushuitanSimulator;
import io.ferry.state.ApiCallRepository;
import io.ferry.state.DeadLetterRepository.DeadLetter;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * The REST API over real HTTP on the management server, on MariaDB state that a real run of jst-shops-to-mysql
 * against the Jushuitan simulator left: a failed run (page 2 down), a shop the BI table refused (a SINK dead letter
 * that cannot replay), API calls. Roles, audit, tokens, paging, a state edit refused while the sync runs, and no
 * secret in any answer or the audit table. The login throttle's test runs last: it holds the client address back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiTest {

    static final String SYNC = "jst-shops-to-mysql";
    static final String VIEWER_PW = "viewer-password-1";
    static final String OPERATOR_PW = "operator-password-2";
    static final String ADMIN_PW = "admin-password-3";
    static final String TOKEN = Secrets.newToken();
    static final List<String> SYNCS = List.of("jst-shops-to-mysql", "jst-orders-to-mysql", "jsonapi-orders-to-mysql",
            "wdt-shops-to-kingdee-customers", "wdt-trades-to-mysql", "kingdee-customers-to-mysql", "jellyfish-a-to-b");

    FerryHarness f;
    ApiClient viewer;
    ApiClient operator;
    ApiClient admin;
    ApiClient token;
    RunRecord failedRun;
    DeadLetter refusedShop;

    static FerryHarness withUsers(FerryHarness f) {
        f.with("ferry.users.vera.password-hash", Secrets.bcrypt(VIEWER_PW)).with("ferry.users.vera.role", "viewer")
                .with("ferry.users.otto.password-hash", Secrets.bcrypt(OPERATOR_PW)).with("ferry.users.otto.role", "operator")
                .with("ferry.users.ada.password-hash", Secrets.bcrypt(ADMIN_PW)).with("ferry.users.ada.role", "admin")
                .with("ferry.api.tokens.ci.hash", Secrets.sha256Hex(TOKEN)).with("ferry.api.tokens.ci.role", "operator");
        // the schedules run (pause and resume act on them) but never fire during the test
        f.with("ferry.schedules.enabled", "true");
        SYNCS.forEach(s -> f.with("ferry.sync." + s + ".cron", "0 0 0 1 1 ? 2099"));
        return f;
    }

    @BeforeAll
    void start() throws Exception {
        f = withUsers(new FerryHarness(Db.MARIADB, 300)).start();
        f.sandbox().jushuitan().rateLimit(false);
        // shop 4 is refused by the BI table (its name is too long), page 2 is down: the run fails
        Map<String, Object> tooLong = JushuitanSimulator.shop(4);
        tooLong.put("shop_name", "长".repeat(300));
        f.sandbox().jushuitan().overrideShop(4, tooLong);
        f.sandbox().jushuitan().overridePage(2, 500, "text/plain", "maintenance");
        failedRun = f.runSync(SYNC);
        assertThat(failedRun.status()).isEqualTo("failed");
        refusedShop = f.state().deadLetters().open(SYNC).stream().filter(d -> d.stage() == io.ferry.state.DeadLetterRepository.Stage.SINK).findFirst().orElseThrow();
        f.sandbox().jushuitan().clearPageOverrides();
        viewer = ApiClient.basic(f, "vera", VIEWER_PW);
        operator = ApiClient.basic(f, "otto", OPERATOR_PW);
        admin = ApiClient.basic(f, "ada", ADMIN_PW);
        token = ApiClient.bearer(f, TOKEN);
    }

    @AfterAll
    void stop() {
        f.close();
    }

    @Test
    @Order(1)
    void withoutCredentialsEveryEndpointAnswers401AndTheOpenApiFileIsOpen() throws Exception {
        ApiClient nobody = ApiClient.anonymous(f);
        for (String path : List.of("/syncs", "/runs", "/runs/" + failedRun.id(), "/dead-letters", "/api-calls", "/audit",
                "/state/" + SYNC, "/records/" + SYNC + "/" + refusedShop.key())) {
            ApiClient.Answer a = nobody.get(path);
            assertThat(a.status()).as(path).isEqualTo(401);
            assertThat(a.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("Basic"));
            assertThat(a.json().path("error").asText()).contains("authentication required");
        }
        assertThat(nobody.post("/syncs/" + SYNC + "/run", null).status()).isEqualTo(401);
        // a token sent without its scheme is refused and not repeated in the answer
        ApiClient.Answer bare = new ApiClient(ApiClient.base(f), TOKEN).get("/syncs");
        assertThat(bare.status()).isEqualTo(401);
        assertThat(bare.body()).doesNotContain(TOKEN.substring(0, 12)).contains("use Basic or Bearer");
        assertThat(f.count("SELECT COUNT(*) FROM ferry_run")).as("nothing ran").isEqualTo(1);
        assertThat(nobody.get("/openapi.yaml").status()).isEqualTo(200);
        assertThat(nobody.get("/openapi.yaml").body()).startsWith("openapi: 3");
    }

    @Test
    @Order(2)
    void aViewerReadsTheFleetAndIsRefusedAReplayWithAnAuditRow() throws Exception {
        ApiClient.Answer syncs = viewer.get("/syncs");
        assertThat(syncs.status()).isEqualTo(200);
        JsonNode jst = find(syncs.json().path("items"), "sync", SYNC);
        assertThat(jst.path("state").asText()).isEqualTo("failed");
        assertThat(jst.path("lastRun").path("id").asLong()).isEqualTo(failedRun.id());
        assertThat(jst.path("lastError").asText()).isNotBlank().doesNotContain("\n");
        assertThat(jst.path("openDeadLetters").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(jst.path("nextRun").asText()).startsWith("2099-");
        ApiClient.Answer failed = viewer.get("/syncs?status=failed");
        assertThat(failed.json().path("items")).extracting(n -> n.path("sync").asText()).containsExactly(SYNC);

        ApiClient.Answer refused = viewer.post("/dead-letters/replay", "{\"ids\":[" + refusedShop.id() + "]}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("error").asText()).contains("needs the role operator").contains("vera has viewer");
        assertThat(f.state().deadLetters().find(refusedShop.id()).attempts()).as("not tried").isEqualTo(refusedShop.attempts());
        JsonNode row = latestAudit();
        assertThat(row.path("actor").asText()).isEqualTo("vera");
        assertThat(row.path("role").asText()).isEqualTo("viewer");
        assertThat(row.path("action").asText()).isEqualTo("replay");
        assertThat(row.path("result").asText()).isEqualTo("refused");
        assertThat(row.path("client").asText()).isEqualTo("127.0.0.1");
        assertThat(row.path("detail").asText()).contains("needs the role operator");
        // an operator is refused an admin's state edit the same way
        assertThat(operator.post("/state/" + SYNC + "/reset", null).status()).isEqualTo(403);
        assertThat(latestAudit().path("action").asText()).isEqualTo("reset");
    }

    @Test
    @Order(3)
    void anOperatorsReplayAnswersPerDeadLetterWhyEachDidNotReplay() throws Exception {
        long replayRunsBefore = f.count("SELECT COUNT(*) FROM ferry_run WHERE kind = 'replay'");
        ApiClient.Answer a = operator.post("/dead-letters/replay", "{\"ids\":[" + refusedShop.id() + ", 987654321]}");
        assertThat(a.status()).isEqualTo(200);
        JsonNode body = a.json();
        assertThat(body.path("tried").asInt()).isEqualTo(2);
        assertThat(body.path("done").asInt()).isZero();
        JsonNode shop = find(body.path("results"), "id", String.valueOf(refusedShop.id()));
        assertThat(shop.path("outcome").asText()).isEqualTo("not-replayed");
        assertThat(shop.path("key").asText()).isEqualTo(refusedShop.key());
        // the database's own message, as the replay met it again
        assertThat(shop.path("reason").asText()).startsWith("the replay failed again: ").containsIgnoringCase("shop_name");
        JsonNode unknown = find(body.path("results"), "id", "987654321");
        assertThat(unknown.path("outcome").asText()).isEqualTo("not-replayed");
        assertThat(unknown.path("reason").asText()).isEqualTo("no such dead letter");
        assertThat(f.count("SELECT COUNT(*) FROM ferry_run WHERE kind = 'replay'")).isEqualTo(replayRunsBefore + 1);
        JsonNode row = latestAudit();
        assertThat(row.path("actor").asText()).isEqualTo("otto");
        assertThat(row.path("result").asText()).isEqualTo("ok");
        assertThat(row.path("detail").asText()).isEqualTo("replayed 0 of 2");

        // discard by filter: the same dead letter, closed with the reason, and a second discard finds nothing open
        ApiClient.Answer d = token.post("/dead-letters/discard", "{\"filter\":{\"sync\":\"" + SYNC + "\",\"key\":\"" + refusedShop.key() + "\"},"
                + "\"reason\":\"name fixed at the source\"}");
        assertThat(d.status()).isEqualTo(200);
        assertThat(d.json().path("results").get(0).path("outcome").asText()).isEqualTo("discarded");
        assertThat(f.state().deadLetters().find(refusedShop.id()).status()).isEqualTo("discarded");
        assertThat(latestAudit().path("actor").asText()).isEqualTo("ci");
        assertThat(latestAudit().path("actorKind").asText()).isEqualTo("token");
        ApiClient.Answer again = operator.post("/dead-letters/discard", "{\"ids\":[" + refusedShop.id() + "],\"reason\":\"x\"}");
        assertThat(again.json().path("results").get(0).path("reason").asText()).isEqualTo("it is discarded, not open");
    }

    @Test
    @Order(4)
    void runNowPauseResumeAndAStateEditWhileTheSyncRunsIs409() throws Exception {
        // every page takes 1.5 s: the run goes on while the test asks
        f.sandbox().jushuitan().setFaults(new Faults(1, 0, 0, 1.0, 1500, 0, 0, 0, 0));
        try {
            ApiClient.Answer started = token.post("/syncs/" + SYNC + "/run", null);
            assertThat(started.status()).isEqualTo(202);
            long runId = started.json().path("run").path("id").asLong();
            assertThat(runId).isPositive();

            ApiClient.Answer reset = admin.post("/state/" + SYNC + "/reset", null);
            assertThat(reset.status()).isEqualTo(409);
            assertThat(reset.json().path("error").asText()).contains("is running (run " + runId);
            JsonNode row = latestAudit();
            assertThat(row.path("actor").asText()).isEqualTo("ada");
            assertThat(row.path("result").asText()).isEqualTo("refused");
            assertThat(row.path("action").asText()).isEqualTo("reset");

            ApiClient.Answer second = operator.post("/syncs/" + SYNC + "/run", null);
            assertThat(second.status()).isEqualTo(409);
            assertThat(second.json().path("error").asText()).contains("is running");

            ApiClient.Answer detail = viewer.get("/runs/" + runId);
            assertThat(detail.status()).isEqualTo(200);
            assertThat(detail.json().path("status").asText()).isEqualTo("running");
            assertThat(detail.json().path("progress").path("elapsedMillis").asLong()).isPositive();
            assertThat(viewer.get("/syncs?status=running").json().path("items")).hasSize(1);

            waitForEnd(runId);
        } finally {
            f.sandbox().jushuitan().setFaults(Faults.NONE);
        }
        List<String> two = f.sql().query("SELECT record_key FROM ferry_synced_key WHERE sync_name = ? ORDER BY record_key LIMIT 2",
                rs -> rs.getString(1), SYNC);
        ApiClient.Answer reset = admin.post("/state/" + SYNC + "/reset", "{\"keys\":[\"" + two.get(0) + "\",\"" + two.get(1) + "\"]}");
        assertThat(reset.status()).as(reset.body()).isEqualTo(200);
        assertThat(reset.json().path("action").asText()).isEqualTo("reset-keys");
        assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key WHERE sync_name = ? AND record_key IN (?, ?)", SYNC, two.get(0),
                two.get(1))).isZero();
        assertThat(f.count("SELECT COUNT(*) FROM ferry_state_edit WHERE actor = 'ada (api user)'")).isEqualTo(1);
        ApiClient.Answer unknownKey = admin.post("/state/" + SYNC + "/reset", "{\"keys\":[\"no-such-shop\"]}");
        assertThat(unknownKey.status()).isEqualTo(400);
        assertThat(unknownKey.json().path("error").asText()).contains("no-such-shop is not a synced key").contains("nothing changed");

        assertThat(operator.post("/syncs/" + SYNC + "/pause", null).json().path("schedule").asText()).isEqualTo("paused");
        assertThat(f.app().camel().getRouteController().getRouteStatus(SYNC + "-schedule").name()).isEqualTo("Suspended");
        assertThat(find(viewer.get("/syncs").json().path("items"), "sync", SYNC).path("state").asText()).isEqualTo("paused");
        ApiClient.Answer twice = operator.post("/syncs/" + SYNC + "/pause", null);
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.json().path("error").asText()).contains("paused already");
        assertThat(operator.post("/syncs/" + SYNC + "/resume", null).status()).isEqualTo(200);
        assertThat(f.app().camel().getRouteController().getRouteStatus(SYNC + "-schedule").name()).isEqualTo("Started");
    }

    @Test
    @Order(5)
    void pagesOfApiCallsAndRunsJoinToTheWholeWithoutDuplicates() throws Exception {
        // 125 more calls of another sync, written as the API-call log writes them
        List<ApiCall> calls = new ArrayList<>();
        for (int i = 0; i < 125; i++) {
            calls.add(new ApiCall("paging-sync", null, "jushuitan", "pull", "/open/x", 200, "0", 5, "{\"i\":" + i + "}", "{}",
                    null, java.time.Instant.now()));
        }
        new ApiCallRepository(f.dataSource()).insert(calls);
        long all = f.count("SELECT COUNT(*) FROM ferry_api_call WHERE sync_name = 'paging-sync'");
        assertThat(all).isEqualTo(125);
        Set<Long> seen = new HashSet<>();
        String after = null;
        int pages = 0;
        while (true) {
            JsonNode page = viewer.get("/api-calls?sync=paging-sync&limit=50" + (after == null ? "" : "&after=" + after)).json();
            pages++;
            for (JsonNode c : page.path("items")) {
                assertThat(seen.add(c.path("id").asLong())).as("no call twice").isTrue();
            }
            assertThat(page.path("hasMore").asBoolean()).isEqualTo(pages < 3);
            if (!page.path("hasMore").asBoolean()) {
                assertThat(page.path("next").isNull()).isTrue();
                break;
            }
            assertThat(page.path("items")).hasSize(50);
            after = page.path("next").asText();
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(125);

        long runs = f.count("SELECT COUNT(*) FROM ferry_run");
        Set<Long> runIds = new HashSet<>();
        String next = null;
        do {
            JsonNode page = viewer.get("/runs?limit=1" + (next == null ? "" : "&after=" + next)).json();
            assertThat(page.path("total").asLong()).isEqualTo(runs);
            page.path("items").forEach(r -> runIds.add(r.path("id").asLong()));
            next = page.path("hasMore").asBoolean() ? page.path("next").asText() : null;
        } while (next != null);
        assertThat(runIds).hasSize((int) runs);

        // the calls of one run, by the run's own endpoint and by the filter alike
        JsonNode byRun = viewer.get("/runs/" + failedRun.id() + "/api-calls").json();
        assertThat(byRun.path("items")).isNotEmpty().allSatisfy(c -> assertThat(c.path("runId").asLong()).isEqualTo(failedRun.id()));
        assertThat(viewer.get("/api-calls?run=" + failedRun.id()).json().path("items")).hasSameSizeAs(byRun.path("items"));
    }

    @Test
    @Order(6)
    void aRecordsStoryAndTheSyncsState() throws Exception {
        JsonNode story = viewer.get("/records/" + SYNC + "/" + refusedShop.key()).json();
        assertThat(story.path("synced").asBoolean()).isFalse();
        // the one discarded, and the one the run since dead-lettered again (the shop's name is still too long)
        assertThat(story.path("deadLetters")).extracting(d -> d.path("status").asText()).containsExactly("open", "discarded");
        assertThat(story.path("apiCalls")).isNotEmpty();
        String syncedKey = f.sql().queryOne("SELECT record_key FROM ferry_synced_key WHERE sync_name = ? LIMIT 1", rs -> rs.getString(1), SYNC);
        JsonNode synced = viewer.get("/records/" + SYNC + "/" + syncedKey).json();
        assertThat(synced.path("synced").asBoolean()).isTrue();
        assertThat(synced.path("contentHash").isNull() || synced.path("contentHash").isTextual()).isTrue();
        JsonNode state = viewer.get("/state/" + SYNC).json();
        assertThat(state.path("syncedKeys").asLong()).isEqualTo(f.count("SELECT COUNT(*) FROM ferry_synced_key WHERE sync_name = ?", SYNC));
        assertThat(state.path("positionKind").asText()).isEqualTo("scan-page");
        assertThat(state.path("lastEdits").get(0).path("actor").asText()).isEqualTo("ada (api user)");
    }

    @Test
    @Order(7)
    void noSecretInAnyAnswerOrTheAuditTable() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(VIEWER_PW, OPERATOR_PW, ADMIN_PW, TOKEN, Secrets.sha256Hex(TOKEN)));
        // the vendors' secrets as the sandbox configures them
        f.sandbox().properties().forEach((k, v) -> {
            if (k.matches(".*(secret|password|token).*") && v != null && v.length() >= 6) {
                secrets.add(v);
            }
        });
        StringBuilder answers = new StringBuilder();
        for (String path : List.of("/syncs", "/runs?limit=500", "/runs/" + failedRun.id(), "/runs/" + failedRun.id() + "/api-calls?limit=500",
                "/dead-letters?status=discarded", "/dead-letters", "/api-calls?limit=500", "/records/" + SYNC + "/" + refusedShop.key(),
                "/state/" + SYNC, "/audit?limit=500")) {
            answers.append(admin.get(path).body());
        }
        String audit = f.sql().query("SELECT * FROM ferry_audit", rs -> {
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                b.append(rs.getString(i)).append('|');
            }
            return b.toString();
        }).toString();
        assertThat(audit).contains("vera").contains("otto");
        for (String s : secrets) {
            assertThat(answers.toString()).as("answers").doesNotContain(s);
            assertThat(audit).as("audit").doesNotContain(s);
        }
    }

    @Test
    @Order(100)
    void aWrongPasswordIsThrottledAndATokenOrACachedLoginStillWorks() throws Exception {
        ApiClient wrong = ApiClient.basic(f, "vera", "guess-guess-guess");
        ApiClient.Answer first = wrong.get("/syncs");
        assertThat(first.status()).isEqualTo(401);
        assertThat(first.json().path("error").asText()).isEqualTo("wrong user name or password");
        ApiClient.Answer second = wrong.get("/syncs");
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.headers().firstValue("Retry-After")).isPresent();
        assertThat(second.json().path("error").asText()).startsWith("too many failed logins");
        // the right password waits as well (the throttle holds the account and the address back) …
        assertThat(ApiClient.basic(f, "ada", "not-adas-password").get("/syncs").status()).isEqualTo(429);
        // … unless it was verified before (cached) or is a token
        assertThat(viewer.get("/syncs").status()).isEqualTo(200);
        assertThat(token.get("/syncs").status()).isEqualTo(200);
        assertThat(ApiClient.bearer(f, "ferry_not-a-token").get("/syncs").status()).isIn(401, 429);
    }

    private void waitForEnd(long runId) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (!"running".equals(viewer.get("/runs/" + runId).json().path("status").asText())) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("run " + runId + " did not end");
    }

    private JsonNode latestAudit() throws Exception {
        return admin.get("/audit?limit=1").json().path("items").get(0);
    }

    static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText())) {
                return n;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array);
    }
}
