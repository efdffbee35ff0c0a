package io.ferry.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code java io.ferry.FerryMain ARGS} in a JVM of its own, as a user runs it: in a fresh working directory that
 * holds a copy of routes/ and application.properties (so ./data is that directory's), with stdout and stderr
 * kept apart.
 */
public class ChildFerry {

    private final Path dir;
    private final Map<String, String> env = new HashMap<>();

    public ChildFerry() {
        try {
            dir = Files.createTempDirectory(Path.of("target"), "child-ferry-").toAbsolutePath();
            FileTrees.copy(Path.of("routes"), dir.resolve("routes"));
            Files.copy(Path.of("application.properties"), dir.resolve("application.properties"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The working directory ({@code ./data} of the child is under it). */
    public Path dir() {
        return dir;
    }

    public ChildFerry env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public record Result(int rc, String out, String err) {
    }

    /** Starts the command; {@link Running#await} collects it. */
    public Running start(String... args) throws IOException {
        // the test classpath's OpenTelemetry (Selenium's) prints a notice through java.util.logging: no handlers there
        Path noJulHandlers = dir.resolve("jul.properties");
        Files.writeString(noJulHandlers, "handlers=\n");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Djava.util.logging.config.file=" + noJulHandlers, "-cp", System.getProperty("java.class.path"),
                "io.ferry.FerryMain"));
        cmd.addAll(List.of(args));
        String name = "run-" + System.nanoTime();
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("FERRY_") && !k.startsWith("FERRY_TEST_"));
        pb.environment().putAll(env);
        return new Running(pb.start(), out, err);
    }

    /** Runs the command to its end (at most {@code timeoutSeconds}). */
    public Result run(long timeoutSeconds, String... args) throws Exception {
        return start(args).await(timeoutSeconds);
    }

    public static final class Running {
        private final Process process;
        private final Path out;
        private final Path err;

        Running(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        public Process process() {
            return process;
        }

        public String out() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        public String err() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        public Result await(long timeoutSeconds) throws Exception {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("ferry did not end within " + timeoutSeconds + " s; stdout:\n" + out() + "\nstderr:\n" + err());
            }
            return new Result(process.exitValue(), out(), err());
        }
    }
}
