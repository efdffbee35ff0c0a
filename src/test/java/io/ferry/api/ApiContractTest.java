package io.ferry.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.ferry.state.DeadLetterRepository.DeadLetter;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * The OpenAPI file in the jar against the server: it parses without messages, the router serves every path and method
 * of the file and nothing else, and the answer of a real call of each GET (on state a real run left) has the required
 * fields and types of its schema.
 */
class ApiContractTest {

    @Test
    void theFileAndTheRouterAgreeAndEveryGetAnswersItsSchema() throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        // keep allOf as written: a merged schema loses the nullable beside it
        options.setResolveCombinators(false);
        String yaml = new String(ApiRouter.class.getClassLoader().getResourceAsStream(ApiRouter.OPENAPI).readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(yaml, null, options);
        assertThat(parsed.getMessages()).as("parser messages").isEmpty();
        OpenAPI api = parsed.getOpenAPI();
        assertThat(api.getComponents().getSecuritySchemes()).containsOnlyKeys("basic", "bearer");

        try (FerryHarness f = ApiTest.withUsers(new FerryHarness(Db.MARIADB, 300)).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            Map<String, Object> tooLong = io.ferry.sandbox.JushuitanSimulator.shop(4);
            tooLong.put("shop_name", "长".repeat(300));
            f.sandbox().jushuitan().overrideShop(4, tooLong);
            long run = f.runSync(ApiTest.SYNC).id();
            DeadLetter dl = f.state().deadLetters().open(ApiTest.SYNC).get(0);

            // every route the router serves is in the file, with the same methods, and the other way round
            Vertx vertx = Vertx.vertx();
            try {
                ApiRouter router = new ApiRouter(f.state(), null, null, null, null, null, k -> null, null, null,
                        io.ferry.cluster.SyncLeadership.of(null), null, null);
                Router r = router.router(vertx, new io.ferry.auth.HttpAuthentication(
                        io.ferry.auth.Accounts.from(Map.of(), java.time.Duration.ZERO),
                        new io.ferry.auth.LoginThrottle(new io.ferry.auth.LoginThrottle.Settings(1, java.time.Duration.ZERO,
                                java.time.Duration.ZERO, java.time.Duration.ZERO)),
                        new io.ferry.auth.BrowserSessions(vertx, java.time.Duration.ofMinutes(5), false)));
                TreeSet<String> served = new TreeSet<>();
                for (String route : ApiRouter.routes(r)) {
                    served.add(route.replaceAll(":(\\w+)", "{$1}"));
                }
                TreeSet<String> documented = new TreeSet<>();
                api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                        .forEach(m -> documented.add(m.name() + " " + path.replace("{sync}", "{sync}"))));
                assertThat(served).isEqualTo(documented);
            } finally {
                vertx.close();
            }

            ApiClient viewer = ApiClient.basic(f, "vera", ApiTest.VIEWER_PW);
            Map<String, String> calls = new java.util.LinkedHashMap<>();
            calls.put("/syncs", "/syncs");
            calls.put("/runs", "/runs");
            calls.put("/runs/{id}", "/runs/" + run);
            calls.put("/runs/{id}/api-calls", "/runs/" + run + "/api-calls");
            calls.put("/dead-letters", "/dead-letters");
            calls.put("/api-calls", "/api-calls");
            calls.put("/records/{sync}/{key}", "/records/" + ApiTest.SYNC + "/" + dl.key());
            calls.put("/state/{sync}", "/state/" + ApiTest.SYNC);
            calls.put("/syncs/{sync}/preview", "/syncs/" + ApiTest.SYNC + "/preview?limit=5");
            ApiClient.basic(f, "vera", ApiTest.VIEWER_PW).post("/dead-letters/replay", "{\"ids\":[1]}"); // an audit row
            calls.put("/audit", "/audit");
            calls.put("/me", "/me");
            calls.put("/syncs/{sync}", "/syncs/" + ApiTest.SYNC);
            calls.put("/syncs/{sync}/activity", "/syncs/" + ApiTest.SYNC + "/activity?hours=2");
            calls.put("/runs/{id}/dead-letters", "/runs/" + run + "/dead-letters");
            calls.put("/runs/{id}/log", "/runs/" + run + "/log");
            ApiClient.Answer job = ApiClient.basic(f, "otto", ApiTest.OPERATOR_PW).post("/dead-letters/jobs",
                    "{\"action\":\"replay\",\"ids\":[" + dl.id() + "]}");
            assertThat(job.status()).as(job.body()).isEqualTo(202);
            calls.put("/dead-letters/jobs", "/dead-letters/jobs");
            calls.put("/dead-letters/jobs/{id}", "/dead-letters/jobs/" + job.json().path("id").asLong());
            for (Map.Entry<String, PathItem> e : api.getPaths().entrySet()) {
                if (e.getValue().getGet() == null || e.getKey().equals("/openapi.yaml")) {
                    continue;
                }
                String url = calls.get(e.getKey());
                assertThat(url).as("a call of GET " + e.getKey()).isNotNull();
                // a preview calls the vendor: an operator's
                ApiClient.Answer a = (e.getKey().endsWith("/preview") ? ApiClient.basic(f, "otto", ApiTest.OPERATOR_PW) : viewer).get(url);
                assertThat(a.status()).as(url + ": " + a.body()).isEqualTo(200);
                Operation op = e.getValue().getGet();
                Schema<?> schema = op.getResponses().get("200").getContent().get("application/json").getSchema();
                List<String> problems = new ArrayList<>();
                check(schema, a.json(), "GET " + e.getKey(), problems);
                assertThat(problems).as("answer of " + url + " against its schema").isEmpty();
            }
        }
    }

    /** The required fields and the types of a fully resolved schema (allOf merged), recursively. */
    static void check(Schema<?> s, JsonNode v, String where, List<String> problems) {
        if (v.isNull() && Boolean.TRUE.equals(s.getNullable())) {
            return;
        }
        if (s.getAllOf() != null) {
            for (Schema<?> part : s.getAllOf()) {
                check(part, v, where, problems);
            }
        }
        if (v.isNull()) {
            if (s.getType() != null) {
                problems.add(where + " is null");
            }
            return;
        }
        String type = s.getType();
        if (type != null) {
            boolean ok = switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            default -> true;
            };
            if (!ok) {
                problems.add(where + " is not " + type + ": " + v);
                return;
            }
        }
        if (s.getEnum() != null && v.isTextual() && !s.getEnum().contains(v.asText())) {
            problems.add(where + " '" + v.asText() + "' is not one of " + s.getEnum());
        }
        if (s.getRequired() != null) {
            for (String r : s.getRequired()) {
                if (!v.has(r)) {
                    problems.add(where + " lacks " + r);
                }
            }
        }
        if (s.getProperties() != null && v.isObject()) {
            s.getProperties().forEach((name, p) -> {
                if (v.has(name)) {
                    check(p, v.get(name), where + "." + name, problems);
                }
            });
        }
        if (s.getItems() != null && v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                check(s.getItems(), v.get(i), where + "[" + i + "]", problems);
            }
        }
    }
}
