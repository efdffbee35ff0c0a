package io.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;
import io.ferry.support.TestDatabases;

/**
 * The progress a run writes now and then is only a view of it: when the state database refuses it, the run goes
 * on and delivers everything (failing the step would have it retried with its page's keys already pending).
 */
class ProgressWriteFailureTest {

    @Test
    void aRefusedProgressWriteNeitherFailsTheRunNorLosesItsPage() throws Exception {
        // 12 pages at 2 calls a second: the run lasts past its first progress write (every 5 s)
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 1200).with("camel.component.jushuitan.requests-per-second", "2").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            try (Connection c = DriverManager.getConnection(f.stateUrl(), TestDatabases.MYSQL_USER, TestDatabases.MYSQL_PASSWORD);
                    Statement s = c.createStatement()) {
                s.execute("CREATE TRIGGER refuse_progress BEFORE UPDATE ON ferry_run FOR EACH ROW "
                        + "IF NEW.status = 'running' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'progress refused'; END IF");
            }
            RunRecord run = f.runSync("jst-shops-to-mysql");
            assertThat(run.status()).as(run.error()).isEqualTo("succeeded");
            assertThat(run.read()).isEqualTo(1200);
            assertThat(run.skipped()).isZero();
            assertThat(run.written()).isEqualTo(1200);
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(1200);
        }
    }
}
