package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** A sync written in Camel's XML DSL loads beside the YAML ones and runs like them. */
class XmlRoutesTest {

    @Test
    void anXmlSyncRunsThroughFerrysSteps() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 130)
                .routes("file:routes/*.yaml,file:src/test/resources/routes-xml/*.xml").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            RunRecord run = f.runSync("jst-shops-xml");
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.read()).isEqualTo(130);
            assertThat(run.written()).isEqualTo(130);
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(130);
            assertThat(f.runSync("jst-shops-xml").skipped()).isEqualTo(130);
        }
    }
}
