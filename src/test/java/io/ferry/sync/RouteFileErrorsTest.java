package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** A route file with a typo stops Ferry at start, with a message that names the file and the mistake. */
class RouteFileErrorsTest {

    @Test
    void anUnknownStepNamesTheFile() {
        try (FerryHarness f = new FerryHarness(Db.H2, 1).routes("file:src/test/resources/routes-typo/typo-step.yaml")) {
            assertThatThrownBy(f::start).satisfies(e -> assertThat(allMessages(e)).contains("typo-step.yaml").contains("too"));
        }
    }

    @Test
    void anUnknownParameterNamesTheParameter() {
        try (FerryHarness f = new FerryHarness(Db.H2, 1).routes("file:src/test/resources/routes-typo/typo-option.yaml")) {
            assertThatThrownBy(f::start).satisfies(e -> assertThat(allMessages(e)).contains("keyy"));
        }
    }

    static String allMessages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
