package io.ferry.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import io.ferry.FerryApp;

/** {@code ferry replay [SYNC | --id N]} and {@code ferry discard ID [REASON]}. */
public final class DeadLetterCommand {

    private DeadLetterCommand() {
    }

    public static int replay(List<String> args, PrintStream out) throws Exception {
        try (FerryApp app = new FerryApp(Map.of("ferry.schedules.enabled", "false")).start()) {
            if (args.size() == 2 && args.get(0).equals("--id")) {
                boolean ok = app.deadLetters().replayOne(Long.parseLong(args.get(1)));
                out.println(ok ? "dead letter " + args.get(1) + " delivered" : "dead letter " + args.get(1) + " not delivered (see its error)");
                return ok ? 0 : 1;
            }
            String sync = args.isEmpty() ? null : args.get(0);
            int delivered = app.deadLetters().replay(sync);
            out.printf("%d dead letter(s) delivered%s%n", delivered, sync == null ? "" : " for " + sync);
            return 0;
        }
    }

    public static int discard(List<String> args, PrintStream out) throws Exception {
        if (args.isEmpty()) {
            out.println("usage: ferry discard ID [REASON]");
            return 2;
        }
        String reason = args.size() > 1 ? String.join(" ", args.subList(1, args.size())) : "discarded from the command line";
        try (FerryApp app = new FerryApp(Map.of("ferry.schedules.enabled", "false")).start()) {
            boolean ok = app.deadLetters().discard(Long.parseLong(args.get(0)), reason);
            out.println(ok ? "dead letter " + args.get(0) + " discarded" : "dead letter " + args.get(0) + " is not open");
            return ok ? 0 : 1;
        }
    }
}
