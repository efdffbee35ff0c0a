package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * A user's sync that pages a plain REST API with Camel's own {@code http:} inside the documented loop. Before, the
 * run never ended (346,700 GETs in two minutes, maxPages ignored, pages=0): nothing told the run about the pages.
 * Now the loop's second round finds that no source read a page and fails the run with what to use instead.
 */
class PlainHttpLoopTest {

    @TempDir
    Path dir;

    @Test
    void aLoopWhoseStepReadsNoPageFailsTheRunInsteadOfRunningForEver() throws Exception {
        AtomicInteger gets = new AtomicInteger();
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/items", ex -> {
            gets.incrementAndGet();
            byte[] body = "[{\"id\":1},{\"id\":2}]".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        api.start();
        try {
            Files.writeString(dir.resolve("plain-http.yaml"), """
                    - route:
                        id: plain-http
                        routeConfigurationId: ferry-sync
                        from:
                          uri: direct:plain-http
                          steps:
                            - to: "ferry:start?sync=plain-http&key=id&maxPages=5"
                            - loop:
                                doWhile: true
                                simple: "${exchangeProperty.FerryRun.hasMore}"
                                steps:
                                  - to: "http://127.0.0.1:%d/items"
                                  - unmarshal:
                                      json: {}
                                  - split:
                                      simple: "${body}"
                                      steps:
                                        - to: "ferry:map?mapping=routes/mappings/jellyfish-record.jsonata"
                                        - to: "ferry:aggregate?size=20&sink=direct:plain-http-write"
                            - to: ferry:finish
                    - route:
                        id: plain-http-write
                        from:
                          uri: direct:plain-http-write
                          steps:
                            - log: "${body}"
                    """.formatted(api.getAddress().getPort()));
            try (FerryHarness f = new FerryHarness(Db.MARIADB, 5)
                    .withRoutes("file:routes/ferry-sync.yaml,file:routes/ferry-templates.yaml,file:" + dir + "/*.yaml").start()) {
                RunRecord run = f.runSync("plain-http");
                assertThat(run.status()).isEqualTo("failed");
                assertThat(run.error()).contains("no Ferry source step read a page").contains("Camel's http:");
                assertThat(run.written()).isZero();
                assertThat(gets.get()).as("GETs before the run stopped").isEqualTo(1);
            }
        } finally {
            api.stop(0);
        }
    }
}
