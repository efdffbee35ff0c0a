package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
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
        assertThat(out.get(0)).startsWith("sandbox: ");
        assertThat(out.get(1)).isEmpty();
        assertThat(out.get(2).split("\\s+")).containsExactly("sync", "status", "pages", "read", "skipped", "written", "failed", "seconds");
        assertThat(out.subList(3, out.size())).hasSize(3).allSatisfy(l -> assertThat(l.split("\\s+")[1]).isEqualTo("succeeded"));
        assertThat(r.err()).contains("INFO").contains("jst-shops-to-mysql: run ").contains(" started");
        assertThat(Files.readString(ferry.dir().resolve("ferry.log"))).contains("jst-shops-to-mysql: run ").contains(" succeeded");
    }
}
