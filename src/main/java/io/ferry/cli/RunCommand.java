package io.ferry.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import io.ferry.FerryApp;

/** {@code ferry run}: the syncs on their schedules, the console, metrics and JMX, until the process is stopped. */
@Command(name = "run", description = "Run the syncs on their schedules until stopped (what the container does).")
public class RunCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Override
    public Integer call() throws Exception {
        new FerryApp(Map.of()).runUntilStopped();
        return 0;
    }
}
