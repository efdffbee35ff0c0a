package io.ferry.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import io.ferry.FerryMain;
import io.ferry.auth.Secrets;

/** {@code ferry hash-password}: the bcrypt hash of a password for {@code ferry.users.<name>.password-hash}. */
@Command(name = "hash-password", description = "Read a password (from the terminal without echo, or the first line of "
        + "standard input) and print its bcrypt hash for ferry.users.<name>.password-hash.")
public class HashPasswordCommand implements Callable<Integer> {

    static final int MIN_LENGTH = 12;

    private final PrintStream out;
    private final InputStream in;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    public HashPasswordCommand(PrintStream out, InputStream in) {
        this.out = out;
        this.in = in;
    }

    @Override
    public Integer call() throws IOException {
        Console console = System.console();
        String password;
        if (console != null && in == System.in) {
            char[] typed = console.readPassword("password: ");
            char[] again = console.readPassword("again: ");
            if (typed == null || again == null || !java.util.Arrays.equals(typed, again)) {
                spec.commandLine().getErr().println("ferry hash-password: the two passwords differ; nothing printed");
                return FerryMain.USAGE_OR_CONFIGURATION;
            }
            password = new String(typed);
        } else {
            password = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        }
        if (password == null || password.length() < MIN_LENGTH) {
            spec.commandLine().getErr().println("ferry hash-password: a password of at least " + MIN_LENGTH + " characters is required");
            return FerryMain.USAGE_OR_CONFIGURATION;
        }
        out.println(Secrets.bcrypt(password));
        return FerryMain.OK;
    }
}
