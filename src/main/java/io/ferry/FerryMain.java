package io.ferry;

import java.util.List;
import java.util.Map;

import io.ferry.cli.DeadLetterCommand;
import io.ferry.cli.StatusCommand;
import io.ferry.cli.SyncCommand;

/** Ferry's command line. */
public final class FerryMain {

    private static final String USAGE = """
            usage: ferry [command]
              run                 run the syncs on their schedules until stopped (the default)
              sandbox [--shops N] start the vendor simulators and run every sync once against them
              sync NAME...        run the named syncs once (all when none is named) and exit
              replay [SYNC]       resend the open dead letters (of one sync) through their mapping and sink
              replay --id N       resend one dead letter
              discard ID [REASON] close a dead letter without sending it
              status [NAME...]    each sync's last run and open dead letters, from the state database
            """;

    private FerryMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        String cmd = a.isEmpty() ? "run" : a.get(0);
        List<String> rest = a.isEmpty() ? List.of() : a.subList(1, a.size());
        int rc;
        switch (cmd) {
        case "run" -> {
            new FerryApp(Map.of()).runUntilStopped();
            rc = 0;
        }
        case "sandbox" -> rc = SyncCommand.sandbox(rest, System.out);
        case "sync" -> rc = SyncCommand.sync(rest, System.out);
        case "replay" -> rc = DeadLetterCommand.replay(rest, System.out);
        case "discard" -> rc = DeadLetterCommand.discard(rest, System.out);
        case "status" -> rc = StatusCommand.status(rest, System.out);
        case "help", "-h", "--help" -> {
            System.out.print(USAGE);
            rc = 0;
        }
        default -> {
            System.err.print("unknown command '" + cmd + "'\n" + USAGE);
            rc = 2;
        }
        }
        System.exit(rc);
    }
}
