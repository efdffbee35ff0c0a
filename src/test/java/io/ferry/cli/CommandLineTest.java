package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.ferry.FerryMain;

/** The command line's parsing: usage on bad input (exit 2), unknown options refused, help per command. */
class CommandLineTest {

    record Result(int rc, String out, String err) {
    }

    static Result ferry(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = FerryMain.execute(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        Result r = ferry("help");
        assertThat(r.rc()).isZero();
        assertThat(r.out()).contains("run", "sandbox", "sync", "replay", "discard", "status", "validate", "preview", "reconcile", "state", "hash-password", "new-token")
                .contains("Exit codes: 0 ok, 1 a run failed, 2 a usage or configuration error.");
    }

    @Test
    void everyCommandHasItsOwnHelp() {
        for (String cmd : new String[] { "run", "sandbox", "sync", "replay", "discard", "status", "validate", "preview", "reconcile", "hash-password", "new-token" }) {
            Result r = ferry(cmd, "--help");
            assertThat(r.rc()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).startsWith("Usage: ferry " + cmd).contains("Exit codes:");
            assertThat(ferry("help", cmd).out()).as(cmd).isEqualTo(r.out());
        }
        assertThat(ferry("sandbox", "-h").out()).contains("--shops=N");
    }

    @Test
    void aValueThatIsNotANumberGetsTheUsageNotATrace() {
        Result r = ferry("sandbox", "--shops", "abc");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).startsWith("Invalid value for option '--shops': 'abc' is not an int")
                .contains("Usage: ferry sandbox").doesNotContain("NumberFormatException").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
        assertThat(ferry("discard", "abc").err()).contains("Invalid value for positional parameter at index 0 (ID): 'abc'");
        assertThat(ferry("sandbox", "--shops", "0").err()).contains("--shops must be at least 1");
    }

    @Test
    void unknownOptionsAndCommandsAreRefused() {
        Result r = ferry("sync", "--bogus");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--bogus'").contains("Usage: ferry sync");
        assertThat(ferry("status", "--shops", "3").err()).contains("Unknown option");
        Result unknown = ferry("frob");
        assertThat(unknown.rc()).isEqualTo(2);
        assertThat(unknown.err()).contains("'frob'").contains("Usage: ferry [-h] [COMMAND]");
    }

    @Test
    void missingOrConflictingArgumentsAreUsageErrors() {
        Result discard = ferry("discard");
        assertThat(discard.rc()).isEqualTo(2);
        assertThat(discard.err()).contains("Missing required parameter: 'ID'").contains("Usage: ferry discard");
        Result replay = ferry("replay", "jst-shops-to-mysql", "--id", "3");
        assertThat(replay.rc()).isEqualTo(2);
        assertThat(replay.err()).contains("give a SYNC or --id, not both");
        assertThat(ferry("replay", "--id", "x").rc()).isEqualTo(2);
    }

    @Test
    void theStateCommandsHaveTheirHelpAndNeedACommandAndASync() {
        for (String cmd : new String[] { "show", "history", "set-position", "reset" }) {
            Result r = ferry("state", cmd, "--help");
            assertThat(r.rc()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).startsWith("Usage: ferry state " + cmd).contains("Exit codes:");
        }
        assertThat(ferry("state", "reset", "--help").out()).contains("--keys=KEY", "--dry-run", "--actor=NAME");
        Result none = ferry("state");
        assertThat(none.rc()).isEqualTo(2);
        assertThat(none.err()).contains("a command is required: show, history, set-position or reset").contains("Usage: ferry state");
        Result noSync = ferry("state", "set-position");
        assertThat(noSync.rc()).isEqualTo(2);
        assertThat(noSync.err()).contains("Missing required parameters: 'SYNC', 'POSITION'");
    }
}
