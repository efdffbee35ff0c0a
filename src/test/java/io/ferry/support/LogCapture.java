package io.ferry.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/** What Ferry logs while it is attached, as the console appender would print it (stack traces included). */
public class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final PatternLayout layout = new PatternLayout();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    public LogCapture() {
        layout.setContext(root.getLoggerContext());
        layout.setPattern("%-5level [%thread] %logger - %msg%n%ex");
        layout.start();
        setContext(root.getLoggerContext());
        start();
        root.addAppender(this);
    }

    @Override
    protected void append(ILoggingEvent event) {
        layout.doLayout(event).lines().forEach(lines::add);
    }

    /** Every printed line so far, a stack trace's lines included. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The printed lines of level WARN and ERROR (with the lines of their stack traces, if any). */
    public List<String> warningsAndErrors() {
        List<String> out = new java.util.ArrayList<>();
        boolean in = false;
        for (String l : lines) {
            if (l.startsWith("WARN ") || l.startsWith("ERROR")) {
                in = true;
            } else if (l.startsWith("INFO ") || l.startsWith("DEBUG") || l.startsWith("TRACE")) {
                in = false;
            }
            if (in) {
                out.add(l);
            }
        }
        return out;
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}
