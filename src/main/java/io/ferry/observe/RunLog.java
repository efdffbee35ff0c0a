package io.ferry.observe;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;

/**
 * The last log lines of this process about each sync, for a run's page: Ferry's lines about a sync begin with its
 * name and a colon ({@code "jst-shops-to-mysql: run 12 started"}), and a run's lines are its sync's lines between its
 * start and end (one run of a sync at a time). In memory only, at most {@link #PER_SYNC} lines per sync; the
 * container's log keeps everything.
 */
public final class RunLog extends AppenderBase<ILoggingEvent> {

    /** A log line: when, its level, the logger's simple name, the message (with the first line of its exception). */
    public record Line(Instant at, String level, String logger, String message) {
    }

    static final int PER_SYNC = 2000;
    /** a line longer than this (a vendor's HTML error page quoted) is cut */
    static final int MAX_LINE = 4000;
    /** a run's last lines (how it ended) are logged just after its row was closed */
    static final java.time.Duration AFTER_END = java.time.Duration.ofSeconds(10);
    private final Predicate<String> isSync;
    private final SecretMasker masker;
    private final Map<String, Deque<Line>> lines = new ConcurrentHashMap<>();

    private RunLog(Predicate<String> isSync, SecretMasker masker) {
        this.isSync = isSync;
        this.masker = masker;
    }

    /**
     * Starts keeping the lines of the syncs {@code isSync} knows from Logback's root logger on, each configured secret
     * masked (Ferry logs none; a vendor's message quoted in a line might).
     */
    public static RunLog install(Predicate<String> isSync, SecretMasker masker) {
        RunLog log = new RunLog(isSync, masker);
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            log.setContext(context);
            log.setName("ferry-run-log");
            log.start();
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(log);
        }
        return log;
    }

    public void uninstall() {
        if (getContext() instanceof LoggerContext context) {
            Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.detachAppender(this);
        }
        stop();
    }

    @Override
    protected void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (message == null) {
            return;
        }
        int colon = message.indexOf(':');
        if (colon <= 0 || colon > 100) {
            return;
        }
        String sync = message.substring(0, colon);
        if (!isSync.test(sync)) {
            return;
        }
        IThrowableProxy error = event.getThrowableProxy();
        String text = masker.mask(error == null ? message : message + " (" + error.getClassName() + ": " + error.getMessage() + ")");
        if (text.length() > MAX_LINE) {
            text = text.substring(0, MAX_LINE) + "… (" + text.length() + " characters)";
        }
        String logger = event.getLoggerName();
        Line line = new Line(Instant.ofEpochMilli(event.getTimeStamp()), event.getLevel().toString(),
                logger.substring(logger.lastIndexOf('.') + 1), text);
        Deque<Line> of = lines.computeIfAbsent(sync, s -> new ArrayDeque<>());
        synchronized (of) {
            of.addLast(line);
            if (of.size() > PER_SYNC) {
                of.removeFirst();
            }
        }
    }

    /**
     * The sync's lines from {@code from} to a little after {@code to} (open when null: a run's last lines follow the
     * closing of its row), the oldest first, at most {@code limit} of the last.
     */
    public List<Line> of(String sync, Instant from, Instant to, int limit) {
        Instant until = to == null ? null : to.plus(AFTER_END);
        Deque<Line> of = lines.get(sync);
        if (of == null) {
            return List.of();
        }
        List<Line> out = new ArrayList<>();
        synchronized (of) {
            for (Line l : of) {
                if (!l.at().isBefore(from) && (until == null || !l.at().isAfter(until))) {
                    out.add(l);
                }
            }
        }
        return out.size() > limit ? out.subList(out.size() - limit, out.size()) : out;
    }

    /** Whether the lines of a run that started at {@code from} may have been dropped (more than PER_SYNC lines since). */
    public boolean truncatedSince(String sync, Instant from) {
        Deque<Line> of = lines.get(sync);
        if (of == null) {
            return false;
        }
        synchronized (of) {
            return of.size() >= PER_SYNC && of.peekFirst().at().isAfter(from);
        }
    }
}
