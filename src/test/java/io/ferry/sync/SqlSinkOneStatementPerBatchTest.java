package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;
import io.ferry.support.RecordingQueryInterceptor;
import io.ferry.support.TestDatabases;

/**
 * A batch of a sql: sink reaches MySQL/MariaDB as one multi-row upsert under the connection's auto-commit: one
 * statement and its commit, not camel-sql's default of auto-commit turned off, the batch, a commit and auto-commit
 * turned on again (three more round trips per batch, and on the database a commit it waits for).
 */
class SqlSinkOneStatementPerBatchTest {

    @Test
    void eachBatchIsOneStatementWithNoAutoCommitToggles() throws Exception {
        String bi = TestDatabases.newMysqlDatabase();
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 250)
                .with("ferry.bi.url", bi + "&queryInterceptors=" + RecordingQueryInterceptor.class.getName())
                .with("ferry.bi.username", TestDatabases.MYSQL_USER).with("ferry.bi.password", TestDatabases.MYSQL_PASSWORD)
                .with("ferry.sync.jst-shops-to-mysql.batch-size", "50").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            RecordingQueryInterceptor.clear();
            RunRecord run = f.runSync("jst-shops-to-mysql");
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.written()).isEqualTo(250);

            List<String> sent = RecordingQueryInterceptor.statements();
            assertThat(sent.stream().filter(s -> s.contains("bi_shop"))).hasSize(5);
            // (a connection the pool opens meanwhile is set up with SET autocommit=1: that is not the batch's)
            assertThat(sent.stream().filter(s -> s.toLowerCase().matches("(?s)\\s*(set autocommit=0|commit|rollback).*"))).isEmpty();
        } finally {
            TestDatabases.dropMysqlDatabase(bi);
        }
    }
}
