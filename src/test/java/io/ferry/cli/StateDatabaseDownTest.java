package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ferry.state.Databases;
import io.ferry.support.ChildFerry;
import io.ferry.support.ChildFerry.Result;

/** A state database that does not answer: every command says so in one line, names where and what to check, exits 2. */
class StateDatabaseDownTest {

    @Test
    void everyCommandPrintsOneLineNamingTheHostAndTheSetting() throws Exception {
        ChildFerry ferry = new ChildFerry().env("FERRY_STATE_URL", "jdbc:mysql://127.0.0.1:1/ferry");
        String[][] commands = { { "run" }, { "sync" }, { "replay" }, { "discard", "3" }, { "status" } };
        Map<String, ChildFerry.Running> running = new LinkedHashMap<>();
        for (String[] cmd : commands) {
            running.put(cmd[0], ferry.start(cmd)); // side by side: each waits out the pool's 10 s start-up timeout
        }
        for (Map.Entry<String, ChildFerry.Running> e : running.entrySet()) {
            Result r = e.getValue().await(120);
            assertThat(r.rc()).as(e.getKey() + ": " + r.err()).isEqualTo(2);
            assertThat(r.out()).as(e.getKey()).isEmpty();
            assertThat(r.err().lines()).as(e.getKey()).containsExactly("ferry " + e.getKey()
                    + ": cannot connect to the state database at 127.0.0.1:1: Connection refused (check ferry.state.url / FERRY_STATE_URL)");
        }
    }

    @Test
    void theLineNamesWhereAUrlPoints() {
        assertThat(Databases.where("jdbc:mysql://db.internal/ferry?sslMode=DISABLED")).isEqualTo("db.internal:3306");
        assertThat(Databases.where("jdbc:mariadb://10.0.0.5:3307/ferry")).isEqualTo("10.0.0.5:3307");
        assertThat(Databases.where("jdbc:h2:tcp://h2host:9092/ferry;MODE=MySQL")).isEqualTo("h2host:9092");
        assertThat(Databases.where("jdbc:h2:file:./data/ferry;MODE=MySQL;AUTO_SERVER=TRUE")).isEqualTo("./data/ferry");
    }
}
