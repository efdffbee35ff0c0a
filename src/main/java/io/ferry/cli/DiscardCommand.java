package io.ferry.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import io.ferry.FerryApp;
import io.ferry.FerryMain;

/** {@code ferry discard ID [REASON]}: closes a dead letter without sending it. */
@Command(name = "discard", description = "Close a dead letter without sending it (1 when it is not open). "
        + "Runs beside a running Ferry.")
public class DiscardCommand implements Callable<Integer> {

    private final PrintStream out;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "ID", description = "The dead letter's id (`ferry status`, the console).")
    long id;

    @Parameters(index = "1..*", paramLabel = "REASON", arity = "0..*", description = "Why, kept with the dead letter.")
    List<String> reason = new ArrayList<>();

    public DiscardCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        return discard(id, reason.isEmpty() ? "discarded from the command line" : String.join(" ", reason), Map.of(), out);
    }

    /** @param properties properties that win over application.properties and the environment */
    public static int discard(long id, String reason, Map<String, String> properties, PrintStream out) throws Exception {
        try (FerryApp app = new FerryApp(OneShot.besideARunningFerry(properties)).start()) {
            boolean ok = app.deadLetters().discard(id, reason);
            out.println(ok ? "dead letter " + id + " discarded" : "dead letter " + id + " is not open");
            return ok ? FerryMain.OK : FerryMain.RUN_FAILED;
        }
    }
}
