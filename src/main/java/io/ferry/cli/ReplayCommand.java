package io.ferry.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import io.ferry.FerryApp;
import io.ferry.FerryMain;

/** {@code ferry replay [SYNC]} and {@code ferry replay --id N}: open dead letters through their sync's mapping and sink. */
@Command(name = "replay", description = "Resend the open dead letters (of one sync, or one by its id) through the "
        + "sync's own mapping and sink. Runs beside a running Ferry.")
public class ReplayCommand implements Callable<Integer> {

    private final PrintStream out;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(paramLabel = "SYNC", arity = "0..1", description = "Only this sync's dead letters.")
    String sync;

    @Option(names = "--id", paramLabel = "N", description = "Only the dead letter with this id (1 when it was not delivered).")
    Long id;

    public ReplayCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        if (sync != null && id != null) {
            throw new ParameterException(spec.commandLine(), "give a SYNC or --id, not both");
        }
        return replay(sync, id, Map.of(), out);
    }

    /**
     * @param sync       the sync whose open dead letters are resent, null for all (ignored with an id)
     * @param id         one dead letter, or null
     * @param properties properties that win over application.properties and the environment
     */
    public static int replay(String sync, Long id, Map<String, String> properties, PrintStream out) throws Exception {
        try (FerryApp app = new FerryApp(OneShot.besideARunningFerry(properties)).start()) {
            if (id != null) {
                boolean ok = app.deadLetters().replayOne(id);
                out.println(ok ? "dead letter " + id + " delivered" : "dead letter " + id + " not delivered (see its error)");
                return ok ? FerryMain.OK : FerryMain.RUN_FAILED;
            }
            int delivered = app.deadLetters().replay(sync);
            out.printf("%d dead letter(s) delivered%s%n", delivered, sync == null ? "" : " for " + sync);
            return FerryMain.OK;
        }
    }
}
