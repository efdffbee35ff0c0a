package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.ferry.kernel.ConfigurationException;
import io.ferry.support.ChildFerry;
import io.ferry.support.ChildFerry.Result;

import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** A route file with a typo stops Ferry at start, with one line that names the file, the step and the mistake. */
class RouteFileErrorsTest {

    /** A line of the log (stderr), as logback.xml formats it. */
    private static final Pattern LOG_LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ");

    @Test
    void anUnknownStepNamesTheFile() {
        try (FerryHarness f = new FerryHarness(Db.H2, 1).routes("file:src/test/resources/routes-typo/typo-step.yaml")) {
            assertThatThrownBy(f::start).isInstanceOf(ConfigurationException.class).hasMessage(
                    "file:src/test/resources/routes-typo/typo-step.yaml:6:11: Unknown node id: too");
        }
    }

    @Test
    void anUnknownParameterNamesTheFileTheStepAndTheParameter() {
        try (FerryHarness f = new FerryHarness(Db.H2, 1).routes("file:src/test/resources/routes-typo/typo-option.yaml")) {
            assertThatThrownBy(f::start).isInstanceOf(ConfigurationException.class).satisfies(e -> assertThat(e.getMessage())
                    .startsWith("file:src/test/resources/routes-typo/typo-option.yaml:6: route 'typo-option', step to[ferry:start?sync=typo-option&keyy=shop_id]: ")
                    .contains("Unknown parameters=[{keyy=shop_id}]")
                    .doesNotContain("\n"));
        }
    }

    @Test
    void theCommandLinePrintsItAsOneLineAndExits2() {
        ChildFerry ferry = new ChildFerry();
        try {
            Files.copy(Path.of("src/test/resources/routes-typo/typo-option.yaml"), ferry.dir().resolve("routes/typo-option.yaml"));
            Result r = ferry.run(120, "sync");
            assertThat(r.rc()).isEqualTo(2);
            assertThat(r.err()).doesNotContain("\tat ");
            assertThat(r.err().lines().filter(l -> !LOG_LINE.matcher(l).lookingAt())).singleElement().satisfies(l -> assertThat(l)
                    .startsWith("ferry sync: file:routes/typo-option.yaml:6: route 'typo-option', step to[ferry:start?sync=typo-option&keyy=shop_id]: ")
                    .contains("keyy"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
