package io.ferry.cli;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;

/**
 * {@code FERRY_LOG_FILE} (or {@code -Dferry.log.file}): the log is written to this file as well as to stderr.
 * Added here rather than in logback.xml, which cannot make an appender conditional without Janino.
 */
public final class LogFile {

    private LogFile() {
    }

    public static void attachIfConfigured() {
        String path = System.getProperty("ferry.log.file", System.getenv("FERRY_LOG_FILE"));
        if (path == null || path.isBlank() || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setName("FILE");
        file.setFile(path);
        file.setAppend(true);
        file.setEncoder(encoder);
        file.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(file);
    }
}
