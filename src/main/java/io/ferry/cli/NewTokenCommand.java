package io.ferry.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

import io.ferry.FerryMain;
import io.ferry.auth.Role;
import io.ferry.auth.Secrets;

/** {@code ferry new-token NAME ROLE}: a fresh API token, and the properties that keep only its hash. */
@Command(name = "new-token", description = "Print a fresh random API token (shown once: give it to the client) and the "
        + "two properties that configure it by its SHA-256 hash.")
public class NewTokenCommand implements Callable<Integer> {

    private final PrintStream out;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The token's name, as the audit table shows it.")
    String name;

    @Parameters(index = "1", paramLabel = "ROLE", defaultValue = "viewer", description = "viewer, operator or admin (default viewer).")
    String role;

    public NewTokenCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        if (!name.matches("[A-Za-z0-9_.@-]{1,100}")) {
            spec.commandLine().getErr().println("ferry new-token: NAME is 1 to 100 letters, digits, '_', '.', '@' or '-'");
            return FerryMain.USAGE_OR_CONFIGURATION;
        }
        Role r;
        try {
            r = Role.parse(role);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("ferry new-token: " + e.getMessage());
            return FerryMain.USAGE_OR_CONFIGURATION;
        }
        String token = Secrets.newToken();
        out.println("token  " + token);
        out.println("ferry.api.tokens." + name + ".hash = " + Secrets.sha256Hex(token));
        out.println("ferry.api.tokens." + name + ".role = " + r.id());
        return FerryMain.OK;
    }
}
