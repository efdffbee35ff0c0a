package io.ferry.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import io.ferry.FerryMain;
import io.ferry.config.RouteValidation;
import io.ferry.config.ValidationProblem;

/**
 * {@code ferry validate [SYNC...]}: the route files, mappings and settings checked without starting anything, every
 * problem on a line of its own, then a summary line. Exit code 0 when there is none, 1 when there are problems, 2 when
 * the route files cannot be read at all.
 */
@Command(name = "validate", description = "Check the route files, mappings and settings of the named syncs (all when none "
        + "is named) without starting any route, schedule or server, writing anything or calling a vendor; print every "
        + "problem on its own line, then a summary (1 when there is a problem).")
public class ValidateCommand implements Callable<Integer> {

    enum Format {
        text, json
    }

    private final PrintStream out;

    @Mixin
    HelpOption help;

    @Parameters(paramLabel = "SYNC", arity = "0..*", description = "A sync's name (its route id).")
    List<String> names = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (one line per problem, the default) or json.")
    Format format = Format.text;

    public ValidateCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        return validate(Map.of(), names, format, out);
    }

    /** Prints the problems and the summary; 0 when there is none, 1 when there are. */
    public static int validate(Map<String, String> overrides, List<String> names, Format format, PrintStream out) throws Exception {
        RouteValidation.Result result = RouteValidation.validate(overrides, names);
        if (format == Format.json) {
            List<Map<String, Object>> problems = new ArrayList<>();
            for (ValidationProblem p : result.problems()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("file", p.file());
                m.put("line", p.line());
                m.put("column", p.column());
                m.put("sync", p.sync());
                m.put("message", p.message());
                m.put("text", p.toString());
                problems.add(m);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("syncs", result.syncs());
            doc.put("syncsWithProblems", result.syncsWithProblems());
            doc.put("problems", problems);
            doc.put("summary", result.summary());
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } else {
            result.problems().forEach(out::println);
            out.println(result.summary());
        }
        return result.problems().isEmpty() ? FerryMain.OK : FerryMain.RUN_FAILED;
    }
}
