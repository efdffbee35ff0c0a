package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.ferry.support.ChildFerry;
import io.ferry.support.ChildFerry.Result;

/** {@code ferry sandbox} as a new user runs it, in a JVM of its own. */
class SandboxCommandTest {

    @Test
    void stdoutCarriesTheTableAndTheLogGoesToStderrAndTheLogFile() throws Exception {
        ChildFerry ferry = new ChildFerry();
        ferry.env("FERRY_LOG_FILE", ferry.dir().resolve("ferry.log").toString());
        Result r = ferry.run(180, "sandbox", "--shops", "20");
        assertThat(r.rc()).as(r.err()).isZero();
        List<String> out = r.out().lines().toList();
        assertThat(out.get(0)).startsWith("sandbox: state in ./data/sandbox; 20 shops per source; simulators: [jushuitan http://127.0.0.1:");
        assertThat(out.get(1)).isEmpty();
        assertThat(out.get(2).split("\\s+")).containsExactly("sync", "status", "pages", "read", "skipped", "written", "failed", "seconds");
        assertThat(out.subList(3, out.size())).hasSize(7).allSatisfy(l -> assertThat(l.split("\\s+")[1]).isEqualTo("succeeded"));
        assertThat(r.err()).contains("INFO").contains("jst-shops-to-mysql: run ").contains(" started");
        assertThat(Files.readString(ferry.dir().resolve("ferry.log"))).contains("jst-shops-to-mysql: run ").contains(" succeeded");
    }

    @Test
    void theSandboxKeepsItsStateApartFromTheConfiguredStateDatabase() throws Exception {
        ChildFerry ferry = new ChildFerry();
        // what a user may have in the environment: Ferry's real state database
        ferry.env("FERRY_STATE_URL", "jdbc:h2:file:./data/configured;MODE=MySQL;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE");
        Result r = ferry.run(180, "sandbox", "--shops", "20");
        assertThat(r.rc()).as(r.err()).isZero();
        assertThat(ferry.dir().resolve("data/configured.mv.db")).doesNotExist();
        assertThat(ferry.dir().resolve("data/ferry.mv.db")).doesNotExist();
        String sandbox = "jdbc:h2:file:" + ferry.dir().resolve("data/sandbox") + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;IFEXISTS=TRUE";
        try (Connection c = DriverManager.getConnection(sandbox, "sa", ""); Statement st = c.createStatement()) {
            assertThat(count(st, "SELECT COUNT(*) FROM ferry_run WHERE status = 'succeeded'")).isEqualTo(7);
            assertThat(count(st, "SELECT COUNT(*) FROM bi_shop")).isEqualTo(20);
            assertThat(count(st, "SELECT COUNT(*) FROM bi_api_order")).isEqualTo(20);
            assertThat(count(st, "SELECT COUNT(*) FROM bi_order")).isEqualTo(20);
            assertThat(count(st, "SELECT COUNT(*) FROM bi_trade")).isEqualTo(20);
            // the customers the sandbox seeds in Kingdee, over the last 30 days
            assertThat(count(st, "SELECT COUNT(*) FROM bi_kingdee_customer")).isEqualTo(20);
        }

        // a second sandbox run finds its own state: nothing new to write
        Result again = ferry.run(180, "sandbox", "--shops", "20");
        assertThat(again.rc()).as(again.err()).isZero();
        assertThat(again.out()).contains("every record read was synced before");
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
