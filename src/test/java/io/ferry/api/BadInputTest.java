package io.ferry.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * Bad input answers a JSON message with 400 (404 for what does not exist, 413 for a body too large), never a dropped
 * connection or a 500, and changes nothing. Each case is named with what it sends and what it gets.
 */
class BadInputTest {

    /** One bad request: what is sent, the status and a part of the message expected. */
    record Case(String name, String method, String path, String contentType, String body, int status, String message) {
    }

    static final String BIG = "{\"ids\":[" + "1,".repeat(40_000) + "1]}";

    static final List<Case> CASES = List.of(
            new Case("a run id that is not a number", "GET", "/runs/abc", null, null, 400, "run id must be a whole number"),
            new Case("a run id of 23 digits", "GET", "/runs/99999999999999999999999", null, null, 400, "whole number below 10^18"),
            new Case("a run id of 0", "GET", "/runs/0", null, null, 400, "run id must be a positive whole number"),
            new Case("an unknown run", "GET", "/runs/999999", null, null, 404, "no run 999999"),
            new Case("an unknown run's API calls", "GET", "/runs/999999/api-calls", null, null, 404, "no run 999999"),
            new Case("limit=-1", "GET", "/runs?limit=-1", null, null, 400, "limit must be between 1 and 500, not -1"),
            new Case("limit=0", "GET", "/dead-letters?limit=0", null, null, 400, "limit must be between 1 and 500"),
            new Case("limit=501", "GET", "/api-calls?limit=501", null, null, 400, "limit must be between 1 and 500"),
            new Case("limit=abc", "GET", "/audit?limit=abc", null, null, 400, "limit must be a whole number"),
            new Case("a huge page (after)", "GET", "/runs?after=123456789012345678901234567890", null, null, 400,
                    "after must be a whole number below 10^18"),
            new Case("after=-5", "GET", "/dead-letters?after=-5", null, null, 400, "after must be a positive whole number"),
            new Case("run=x on the API calls", "GET", "/api-calls?run=x", null, null, 400, "run must be a whole number"),
            new Case("an unknown run status", "GET", "/runs?status=bogus", null, null, 400,
                    "status 'bogus' is not one of: running, succeeded, failed, partial, abandoned"),
            new Case("an unknown run kind", "GET", "/runs?kind=nightly", null, null, 400, "kind 'nightly' is not one of: sync, replay"),
            new Case("an unknown stage", "GET", "/dead-letters?stage=MAP", null, null, 400, "stage 'MAP' is not one of: PAGE, RECORD, SINK"),
            new Case("an unknown dead-letter status", "GET", "/dead-letters?status=gone", null, null, 400, "status 'gone' is not one of"),
            new Case("an unknown sync state", "GET", "/syncs?status=sleeping", null, null, 400, "status 'sleeping' is not one of"),
            new Case("an unknown parameter", "GET", "/runs?colour=red", null, null, 400, "unknown parameter 'colour'"),
            new Case("a parameter twice", "GET", "/runs?limit=1&limit=2", null, null, 400, "parameter 'limit' is given more than once"),
            new Case("a filter of 300 characters", "GET", "/dead-letters?error=" + "x".repeat(300), null, null, 400,
                    "error is longer than 200 characters"),
            new Case("an unknown sync's state", "GET", "/state/no-such-sync", null, null, 404, "no sync 'no-such-sync'"),
            new Case("an unknown sync's record", "GET", "/records/no-such-sync/1", null, null, 404, "no sync 'no-such-sync'"),
            new Case("run now of an unknown sync", "POST", "/syncs/no-such-sync/run", null, null, 404, "no sync 'no-such-sync'"),
            new Case("pause of an unknown sync", "POST", "/syncs/no-such-sync/pause", null, null, 404, "no sync 'no-such-sync'"),
            new Case("an unknown endpoint", "GET", "/shops", null, null, 404, "no such endpoint: GET /api/v1/shops"),
            new Case("a method no endpoint takes", "DELETE", "/runs", null, null, 404, "no such endpoint: DELETE /api/v1/runs"),
            new Case("malformed JSON", "POST", "/dead-letters/replay", "application/json", "{\"ids\": [1,", 400, "the body is not JSON"),
            // a form's types are what another site's page can post without asking: refused before anything is read
            new Case("a form body", "POST", "/dead-letters/discard", "text/plain", "id=abc", 415,
                    "a POST takes a JSON body (Content-Type: application/json) or none, not a form"),
            new Case("an url-encoded form", "POST", "/syncs/jst-shops-to-mysql/run", "application/x-www-form-urlencoded", "x=1", 415,
                    "a POST takes a JSON body (Content-Type: application/json) or none, not a form"),
            new Case("a body of another type", "POST", "/dead-letters/discard", "application/xml", "<id>abc</id>", 400,
                    "the body must be JSON (Content-Type: application/json)"),
            new Case("a JSON list, not an object", "POST", "/dead-letters/replay", "application/json", "[1, 2]", 400,
                    "the body must be a JSON object"),
            new Case("an id that is not a number (the console's id=abc)", "POST", "/dead-letters/replay", "application/json",
                    "{\"ids\": [\"abc\"]}", 400, "ids must be positive whole numbers, not \"abc\""),
            new Case("a negative id", "POST", "/dead-letters/replay", "application/json", "{\"ids\": [-3]}", 400,
                    "ids must be positive whole numbers"),
            new Case("no ids", "POST", "/dead-letters/replay", "application/json", "{\"ids\": []}", 400, "ids must be a list of 1 to 500"),
            new Case("ids and a filter", "POST", "/dead-letters/replay", "application/json",
                    "{\"ids\": [1], \"filter\": {\"sync\": \"x\"}}", 400, "give either ids"),
            new Case("neither ids nor a filter", "POST", "/dead-letters/replay", "application/json", "{}", 400, "give either ids"),
            new Case("a filter without its sync", "POST", "/dead-letters/replay", "application/json", "{\"filter\": {\"stage\": \"SINK\"}}",
                    400, "filter.sync is required"),
            new Case("an unknown filter field", "POST", "/dead-letters/replay", "application/json",
                    "{\"filter\": {\"sync\": \"x\", \"colour\": \"red\"}}", 400, "unknown filter field 'colour'"),
            new Case("an unknown stage in a filter", "POST", "/dead-letters/replay", "application/json",
                    "{\"filter\": {\"sync\": \"x\", \"stage\": \"MAP\"}}", 400, "filter.stage 'MAP' is not one of"),
            new Case("an unknown body field", "POST", "/dead-letters/replay", "application/json", "{\"ids\": [1], \"all\": true}", 400,
                    "unknown field 'all'"),
            new Case("a discard without its reason", "POST", "/dead-letters/discard", "application/json", "{\"ids\": [1]}", 400,
                    "reason (text) is required"),
            new Case("a body over 64 KiB", "POST", "/dead-letters/replay", "application/json", BIG, 413,
                    "the body is larger than 65536 bytes"),
            new Case("a window position that is no time", "POST", "/state/jst-orders-to-mysql/set-position", "application/json",
                    "{\"position\": \"yesterday\"}", 400, "jst-orders-to-mysql: "),
            new Case("a window position after now", "POST", "/state/jst-orders-to-mysql/set-position", "application/json",
                    "{\"position\": \"2999-01-01T00:00:00+08:00\"}", 400, "is after now"),
            new Case("a position for a sync that keeps none", "POST", "/state/jst-shops-to-mysql/set-position", "application/json",
                    "{\"position\": \"5\"}", 400, "keeps no position to set"),
            new Case("a position that is a number, not text", "POST", "/state/jst-orders-to-mysql/set-position", "application/json",
                    "{\"position\": 5}", 400, "the body is {\"position\": "),
            new Case("a reset of a key that is not synced", "POST", "/state/jst-shops-to-mysql/reset", "application/json",
                    "{\"keys\": [\"no-such-key\"]}", 400, "no-such-key is not a synced key of jst-shops-to-mysql; nothing changed"),
            new Case("a reset with keys that are not text", "POST", "/state/jst-shops-to-mysql/reset", "application/json",
                    "{\"keys\": [1]}", 400, "keys must be non-empty text"));

    @Test
    void everyBadRequestAnswersItsStatusAndMessageAndChangesNothing() throws Exception {
        try (FerryHarness f = ApiTest.withUsers(new FerryHarness(Db.H2, 30)).start()) {
            f.runSync(ApiTest.SYNC);
            long runs = f.count("SELECT COUNT(*) FROM ferry_run");
            long keys = f.count("SELECT COUNT(*) FROM ferry_synced_key");
            ApiClient admin = ApiClient.basic(f, "ada", ApiTest.ADMIN_PW);
            for (Case c : CASES) {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(admin.base + c.path()));
                b.method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(c.body()));
                if (c.contentType() != null) {
                    b.header("Content-Type", c.contentType());
                }
                ApiClient.Answer a = admin.send(b);
                assertThat(a.status()).as(c.name() + ": " + a.body()).isEqualTo(c.status());
                assertThat(a.headers().firstValue("content-type").orElse("")).as(c.name()).startsWith("application/json");
                assertThat(a.json().path("error").asText()).as(c.name()).contains(c.message());
                assertThat(a.json().path("status").asInt()).as(c.name()).isEqualTo(c.status());
            }
            assertThat(f.count("SELECT COUNT(*) FROM ferry_run")).as("nothing ran").isEqualTo(runs);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key")).as("no key forgotten").isEqualTo(keys);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_state_edit")).as("no state edited").isZero();
            assertThat(f.count("SELECT COUNT(*) FROM ferry_audit WHERE result = 'ok'")).as("no action done").isZero();
        }
    }
}
