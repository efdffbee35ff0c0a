package io.ferry;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import io.ferry.kernel.ConfigurationException;
import io.ferry.cli.BackfillCommand;
import io.ferry.cli.DiscardCommand;
import io.ferry.cli.HashPasswordCommand;
import io.ferry.cli.HelpOption;
import io.ferry.cli.PreviewCommand;
import io.ferry.cli.NewTokenCommand;
import io.ferry.cli.LogFile;
import io.ferry.cli.ReconcileCommand;
import io.ferry.cli.ReplayCommand;
import io.ferry.cli.RunCommand;
import io.ferry.cli.SandboxCommand;
import io.ferry.cli.StateCommand;
import io.ferry.cli.StatusCommand;
import io.ferry.cli.SyncCommand;
import io.ferry.cli.ValidateCommand;

/**
 * Ferry's command line. Tables and results go to stdout, logs to stderr; exit codes: 0 ok, 1 a run failed,
 * 2 a usage or configuration error.
 */
@Command(name = "ferry", synopsisSubcommandLabel = "[COMMAND]",
        description = "Moves business records between systems on a schedule. Without a command: run.",
        footer = { "", FerryMain.EXIT_CODES, "`ferry help COMMAND` or `ferry COMMAND --help` describes a command." })
public final class FerryMain implements Runnable {

    public static final int OK = 0;
    public static final int RUN_FAILED = 1;
    public static final int USAGE_OR_CONFIGURATION = 2;
    static final String EXIT_CODES = "Exit codes: 0 ok, 1 a run failed, 2 a usage or configuration error.";

    private static final Logger LOG = LoggerFactory.getLogger(FerryMain.class);

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    public static void main(String[] args) {
        LogFile.attachIfConfigured();
        System.exit(execute(System.out, System.err, args.length == 0 ? new String[] { "run" } : args));
    }

    /** Runs one command line; what the commands print goes to {@code out}, usage and errors to {@code err}. */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        return commandLine(out, err).execute(args);
    }

    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new FerryMain())
                .addSubcommand(new RunCommand())
                .addSubcommand(new SandboxCommand(out))
                .addSubcommand(new SyncCommand(out))
                .addSubcommand(new ReplayCommand(out))
                .addSubcommand(new DiscardCommand(out))
                .addSubcommand(new StatusCommand(out))
                .addSubcommand(new BackfillCommand(out))
                .addSubcommand(StateCommand.commandLine(out, EXIT_CODES))
                .addSubcommand(new ValidateCommand(out))
                .addSubcommand(new PreviewCommand(out))
                .addSubcommand(new ReconcileCommand(out))
                .addSubcommand(new HashPasswordCommand(out, System.in))
                .addSubcommand(new NewTokenCommand(out))
                .addSubcommand(new CommandLine.HelpCommand());
        cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().usageMessage().footer("", EXIT_CODES));
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        // picocli answers bad input with the usage and exit code 2 (its default), an exception from a command with 1
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            ConfigurationException config = find(e, ConfigurationException.class);
            if (config != null) {
                LOG.debug("{}", config.getMessage(), config);
                // the command as typed: "ferry sync", "ferry state reset"
                cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + config.getMessage());
                return USAGE_OR_CONFIGURATION;
            }
            // not an outcome Ferry handles: the trace is for whoever reports the bug
            LOG.error("ferry {}: {}", cmd.getCommandName(), e.toString(), e);
            cmd.getErr().println("ferry " + cmd.getCommandName() + ": " + e);
            return RUN_FAILED;
        });
        return cl;
    }

    /** {@code ferry} with options only: a command is required. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required");
    }

    static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
