package io.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ferry.state.DeadLetterRepository.DeadLetter;
import io.ferry.state.DeadLetterRepository.Stage;
import io.ferry.sandbox.JushuitanSimulator;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * The bad-input corpus: each case says what Ferry does with it. Pages that cannot be read fail the run with a
 * message naming the endpoint and what arrived, and are kept; records that cannot be delivered are dead-lettered
 * with the reason and the run goes on; route and configuration mistakes stop Ferry at start with a message naming
 * the file or property. In every case what was delivered stays delivered and the next run is not blocked.
 */
class BadInputCorpusTest {

    private static final String SYNC = "jst-shops-to-mysql";
    private static final int SHOPS = 150;

    // --- pages ---

    @Test
    void truncatedJsonPage() throws Exception {
        badPage("{\"code\":0,\"data\":{\"has_next\":true,\"datas\":[{\"shop_id\":1", "application/json", "malformed JSON");
    }

    @Test
    void emptyPage() throws Exception {
        badPage("", "application/json", "not the API's JSON");
    }

    @Test
    void htmlInsteadOfJson() throws Exception {
        badPage("<!DOCTYPE html><html><body>登录已过期</body></html>", "text/html", "not the API's JSON");
    }

    @Test
    void jsonArrayInsteadOfTheEnvelope() throws Exception {
        badPage("[1,2,3]", "application/json", "not the API's JSON");
    }

    @Test
    void recordsThatAreNotAList() throws Exception {
        badPage("{\"code\":0,\"msg\":\"ok\",\"data\":{\"has_next\":false,\"datas\":{\"shop_id\":1}}}", "application/json",
                "the records path 'data.datas' finds an object, not a list of records");
    }

    @Test
    void successWithoutData() throws Exception {
        badPage("{\"code\":0,\"msg\":\"ok\"}", "application/json", "code 0 but no data object");
    }

    @Test
    void bytesThatAreNotUtf8() throws Exception {
        byte[] latin1 = "{\"code\":0,\"msg\":\"ok\",\"data\":{\"has_next\":false,\"datas\":[{\"shop_id\":10000100,\"shop_name\":\"caf\u00e9\"}]}}"
                .getBytes(StandardCharsets.ISO_8859_1);
        try (FerryHarness f = harness()) {
            f.sandbox().jushuitan().overridePage(2, 200, "application/json", latin1);
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("failed");
            assertThat(run.error()).contains("not UTF-8").contains("at byte").contains("/open/shops/query");
            assertThat(run.written()).isEqualTo(100);
            nextRunCompletes(f);
        }
    }

    // --- records ---

    @Test
    void nullKey() throws Exception {
        badRecord(r -> r.put("shop_id", null), Stage.RECORD, "record has no shop_id", null);
    }

    @Test
    void missingKey() throws Exception {
        badRecord(r -> r.remove("shop_id"), Stage.RECORD, "record has no shop_id", null);
    }

    @Test
    void keyThatIsAnObject() throws Exception {
        badRecord(r -> r.put("shop_id", Map.of("id", 1)), Stage.RECORD, "record has no shop_id", null);
    }

    @Test
    void blankKey() throws Exception {
        badRecord(r -> r.put("shop_id", "  "), Stage.RECORD, "record has no shop_id", null);
    }

    @Test
    void hugeString() throws Exception {
        badRecord(r -> r.put("shop_name", "巨".repeat(1_000_000)), Stage.SINK, "too long", "10000020");
    }

    @Test
    void missingRequiredField() throws Exception {
        badRecord(r -> r.remove("shop_name"), Stage.RECORD, "shop_name is missing", "10000020");
    }

    @Test
    void wrongTypeForANumber() throws Exception {
        badRecord(r -> r.put("co_id", "not-a-number"), Stage.RECORD, "jst-shop-to-bi.jsonata", "10000020");
    }

    @Test
    void aTimeThatIsNotATime() throws Exception {
        badRecord(r -> r.put("session_expired", "2024-13-45 99:99:99"), Stage.RECORD, "session_expired is not a time: '2024-13-45 99:99:99'", "10000020");
    }

    @Test
    void anImpossibleDate() throws Exception {
        badRecord(r -> r.put("created", "2024-02-30 12:00:00"), Stage.RECORD, "created is not a time: '2024-02-30 12:00:00'", "10000020");
    }

    @Test
    void textWhereATimeShouldBe() throws Exception {
        badRecord(r -> r.put("session_expired", "soon"), Stage.RECORD, "session_expired is not a time", "10000020");
    }

    @Test
    void sqlInAShopNameIsStoredLiterally() throws Exception {
        String name = "x'); DROP TABLE bi_shop; --";
        try (FerryHarness f = harness()) {
            Map<String, Object> shop = JushuitanSimulator.shop(20);
            shop.put("shop_name", name);
            f.sandbox().jushuitan().overrideShop(20, shop);
            assertThat(f.runSync(SYNC).written()).isEqualTo(SHOPS);
            String stored = f.sql().queryOne("SELECT shop_name FROM bi_shop WHERE shop_id = 10000020", rs -> rs.getString(1));
            assertThat(stored).isEqualTo(name);
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(SHOPS);
        }
    }

    // --- routes and configuration ---

    @Test
    void unknownStep(@TempDir Path dir) throws Exception {
        badRoute(dir, "        - too: \"log:x\"\n", "too");
    }

    @Test
    void unknownParameter(@TempDir Path dir) throws Exception {
        badRoute(dir, "        - to: \"ferry:start?sync=bad&key=id&maxPage=3\"\n", "maxPage");
    }

    @Test
    void missingMappingFile(@TempDir Path dir) throws Exception {
        badRoute(dir, "        - to: \"ferry:start?sync=bad&key=id\"\n        - to: \"ferry:map?mapping=routes/mappings/nope.jsonata\"\n",
                "nope.jsonata");
    }

    @Test
    void mappingThatIsNotJsonata(@TempDir Path dir) throws Exception {
        Path mapping = dir.resolve("broken.jsonata");
        Files.writeString(mapping, "{ \"a\": shop_id, ");
        badRoute(dir, "        - to: \"ferry:start?sync=bad&key=id\"\n        - to: \"ferry:map?mapping=" + mapping + "\"\n",
                "not valid JSONata");
    }

    @Test
    void missingProperty(@TempDir Path dir) throws Exception {
        badRoute(dir, "        - to: \"ferry:start?sync=bad&key=id&maxPages={{ferry.no-such-property}}\"\n", "ferry.no-such-property");
    }

    @Test
    void yamlThatDoesNotParse(@TempDir Path dir) throws Exception {
        badRoute(dir, "        - to: [unclosed\n", "bad.yaml");
    }

    @Test
    void missingCredential() {
        try (FerryHarness f = new FerryHarness(Db.H2, 1).with("camel.component.jushuitan.app-secret", "")) {
            assertThatThrownBy(f::start).satisfies(e -> assertThat(messages(e)).contains("camel.component.jushuitan.app-secret"));
        }
    }

    // --- helpers ---

    private static FerryHarness harness() throws Exception {
        FerryHarness f = new FerryHarness(Db.H2, SHOPS).start();
        f.sandbox().jushuitan().rateLimit(false);
        return f;
    }

    /** Page 2 answers {@code body}: the run fails saying {@code expected}, page 1 stays delivered, the page is kept. */
    private static void badPage(String body, String contentType, String expected) throws Exception {
        try (FerryHarness f = harness()) {
            f.sandbox().jushuitan().overridePage(2, 200, contentType, body);
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("failed");
            assertThat(run.error()).contains(expected).contains("/open/shops/query");
            assertThat(run.written()).isEqualTo(100);
            assertThat(f.state().deadLetters().open(SYNC)).singleElement()
                    .satisfies(d -> assertThat(d.stage()).isEqualTo(Stage.PAGE));
            nextRunCompletes(f);
        }
    }

    /** Shop 20 is changed by {@code damage}: it is dead-lettered saying {@code expected}, every other shop is written. */
    private static void badRecord(Consumer<Map<String, Object>> damage, Stage stage, String expected, String key) throws Exception {
        try (FerryHarness f = harness()) {
            Map<String, Object> shop = new java.util.HashMap<>(JushuitanSimulator.shop(20));
            damage.accept(shop);
            f.sandbox().jushuitan().overrideShop(20, shop);
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.written()).isEqualTo(SHOPS - 1);
            assertThat(run.failed()).isEqualTo(1);
            DeadLetter dl = f.state().deadLetters().open(SYNC).get(0);
            assertThat(dl.stage()).isEqualTo(stage);
            assertThat(dl.errorMessage()).containsIgnoringCase(expected);
            assertThat(dl.key()).isEqualTo(key);
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(SHOPS - 1);
            // the next run is not blocked: it meets the same record, keeps one dead letter for it, and ends
            RunRecord next = f.runSync(SYNC);
            assertThat(next.status()).isEqualTo("succeeded");
            assertThat(f.state().deadLetters().open(SYNC)).hasSize(1);
        }
    }

    private static void nextRunCompletes(FerryHarness f) {
        f.sandbox().jushuitan().clearPageOverrides();
        RunRecord next = f.runSync(SYNC);
        assertThat(next.status()).isEqualTo("succeeded");
        assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(SHOPS);
    }

    /** A route file whose steps are {@code steps}: Ferry does not start, and says {@code expected}. */
    private static void badRoute(Path dir, String steps, String expected) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "- route:\n    id: bad\n    from:\n      uri: direct:bad\n      steps:\n" + steps);
        try (FerryHarness f = new FerryHarness(Db.H2, 1).routes("file:" + file)) {
            assertThatThrownBy(f::start).satisfies(e -> assertThat(messages(e)).contains(expected));
        }
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
