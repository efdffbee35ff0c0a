package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

import io.ferry.auth.Secrets;

/** {@code ferry hash-password} and {@code ferry new-token}: what they print is what Accounts accepts. */
class HashAndTokenCommandTest {

    record Result(int rc, String out, String err) {
    }

    static Result run(Object command, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cl = new CommandLine(command);
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int rc = cl.execute(args);
        return new Result(rc, "", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void hashPasswordPrintsABcryptHashOfTheLineItReads() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Result r = run(new HashPasswordCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream("a long enough password\n".getBytes(StandardCharsets.UTF_8))));
        assertThat(r.rc()).isZero();
        String hash = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(Secrets.looksLikeBcrypt(hash)).as(hash).isTrue();
        assertThat(Secrets.bcryptMatches("a long enough password", hash)).isTrue();
        assertThat(hash).doesNotContain("a long enough password");

        ByteArrayOutputStream none = new ByteArrayOutputStream();
        Result shortOne = run(new HashPasswordCommand(new PrintStream(none, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream("short\n".getBytes(StandardCharsets.UTF_8))));
        assertThat(shortOne.rc()).isEqualTo(2);
        assertThat(shortOne.err()).contains("at least 12 characters");
        assertThat(none.size()).isZero();
    }

    @Test
    void newTokenPrintsATokenAndTheHashThatMatchesIt() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Result r = run(new NewTokenCommand(new PrintStream(out, true, StandardCharsets.UTF_8)), "ci", "operator");
        assertThat(r.rc()).isZero();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        String token = lines[0].replaceFirst("^token\\s+", "");
        assertThat(lines[1]).isEqualTo("ferry.api.tokens.ci.hash = " + Secrets.sha256Hex(token));
        assertThat(lines[2]).isEqualTo("ferry.api.tokens.ci.role = operator");
        assertThat(run(new NewTokenCommand(new PrintStream(new ByteArrayOutputStream())), "ci", "root").err())
                .contains("'root' is not a role");
    }
}
