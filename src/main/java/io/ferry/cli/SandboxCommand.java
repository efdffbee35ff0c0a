package io.ferry.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

import io.ferry.sandbox.Sandbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ferry sandbox}: starts the vendor simulators, points Ferry at them and runs every sync once. */
@Command(name = "sandbox", description = "Start the vendor simulators on 127.0.0.1 and run every sync once against them; "
        + "prints what each run did.")
public class SandboxCommand implements Callable<Integer> {

    private final PrintStream out;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--shops", paramLabel = "N", defaultValue = "1000", description = "Records each simulated source serves (default: ${DEFAULT-VALUE}).")
    int shops;

    public SandboxCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        if (shops < 1) {
            throw new ParameterException(spec.commandLine(), "--shops must be at least 1");
        }
        try (Sandbox sandbox = new Sandbox(shops)) {
            out.printf("sandbox: %d shops per source; simulators: %s%n", shops,
                    sandbox.servers().stream().map(s -> s.name() + " " + s.url()).toList());
            return SyncCommand.runOnce(sandbox.properties(), List.of(), out);
        }
    }
}
