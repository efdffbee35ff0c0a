package io.ferry.cli;

import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import io.ferry.FerryApp;
import io.ferry.FerryMain;
import io.ferry.kernel.ConfigurationException;
import io.ferry.pipeline.SyncSettings;
import io.ferry.state.SyncStateEdits.RunningRun;

/**
 * {@code ferry state show|history|set-position|reset SYNC}: a sync's state read and edited beside a running Ferry.
 * The edits are refused while a run of the sync is going on (SyncStateEdits) and are recorded with who made them.
 */
@Command(name = "state", synopsisSubcommandLabel = "COMMAND", description = "Show and edit a sync's state: its position, "
        + "synced keys, last runs and the edits made to it. Runs beside a running Ferry; an edit is refused (1) while the "
        + "sync runs, and recorded.")
public class StateCommand implements Runnable {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    /** {@code state} with its commands, each with the exit codes in its help. */
    public static CommandLine commandLine(PrintStream out, String exitCodes) {
        CommandLine cl = new CommandLine(new StateCommand())
                .addSubcommand(new StateShowCommand(out))
                .addSubcommand(new StateHistoryCommand(out))
                .addSubcommand(new StateSetPositionCommand(out))
                .addSubcommand(new StateResetCommand(out));
        cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().usageMessage().footer("", exitCodes));
        return cl;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required: show, history, set-position or reset");
    }

    /** The sync's settings as its route file declares them. */
    static SyncSettings settings(FerryApp app, String sync) {
        SyncSettings settings = app.syncs().syncs().get(sync);
        if (settings == null) {
            throw new ConfigurationException(sync + " is no sync of the route files (they declare " + String.join(", ",
                    app.syncs().names()) + "); nothing changed");
        }
        return settings;
    }

    /** Who makes an edit: {@code --actor}, else the operating system's user. */
    static String actor(String given) {
        if (given != null && !given.isBlank()) {
            return given.strip();
        }
        return System.getProperty("user.name", "unknown");
    }

    /** The refusal of an edit while a run of the sync is going on (exit code 1). */
    static int refused(PrintStream out, String sync, RunningRun run) {
        out.println(sync + " is running: " + describe(run) + "; nothing changed. Edit it once the run has ended. A run left "
                + "'running' by a process that died blocks edits until a Ferry started on node " + run.node()
                + " closes it as abandoned.");
        return FerryMain.RUN_FAILED;
    }

    static String describe(RunningRun run) {
        return "run " + run.id() + " (" + run.kind() + ") on node " + run.node() + ", started " + TIME.format(run.startedAt());
    }
}
