package io.ferry.pipeline;

import java.time.Instant;

import io.ferry.kernel.ConfigurationException;
import io.ferry.kernel.Windows;

/**
 * What kind of position a sync keeps, as its {@code ferry:start} declares it: the offset field's value of the last
 * record delivered (or dead-lettered), a time-windowed sync's instant (both in ferry_offset), or, for a sync that reads
 * its source as a whole, only the page where a failed scan stopped (ferry_scan_position).
 */
public enum SyncPosition {

    OFFSET("offset"), WINDOW("window position"), SCAN_PAGE("scan page");

    /** How the kind is named in what Ferry prints. */
    public final String label;

    SyncPosition(String label) {
        this.label = label;
    }

    public static SyncPosition of(SyncSettings settings) {
        if (settings.window() != null) {
            return WINDOW;
        }
        return settings.offsetField() != null ? OFFSET : SCAN_PAGE;
    }

    /** The kind's name in JSON. */
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * The value to save for what an operator typed: a windowed sync's instant (ISO-8601 with its offset, not after
     * now) in the form Ferry saves it, an offset as it is.
     *
     * @throws ConfigurationException when it does not parse, or the sync keeps no position that can be set
     */
    public String parse(SyncSettings settings, String text, Instant now) {
        switch (this) {
        case WINDOW -> {
            Instant at;
            try {
                at = Windows.Spec.parseTime("POSITION", text);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(settings.sync() + ": " + e.getMessage() + "; nothing changed");
            }
            if (at.isAfter(now)) {
                throw new ConfigurationException(settings.sync() + ": POSITION " + text + " is after now: its runs would read "
                        + "nothing until then; nothing changed");
            }
            return at.toString();
        }
        case OFFSET -> {
            if (text.isBlank() || !text.strip().equals(text) || text.length() > 255) {
                throw new ConfigurationException(settings.sync() + ": POSITION must be a value of " + settings.offsetField()
                        + " (1 to 255 characters, no blanks around it), got '" + text + "'; nothing changed");
            }
            return text;
        }
        default -> throw new ConfigurationException(settings.sync() + " reads its source as a whole and keeps no position "
                + "to set (only the page where a failed scan stopped, which `ferry state reset` forgets); nothing changed");
        }
    }

    /** What the position means for the next run. */
    public String meaning(SyncSettings settings) {
        return switch (this) {
        case OFFSET -> "the value of " + settings.offsetField() + " of the last record delivered or dead-lettered; the next run "
                + "reads the records after it";
        case WINDOW -> "windows on " + settings.window().field() + " read up to there; the next run starts there, less its "
                + "lookback (" + settings.window().lookback() + ")";
        case SCAN_PAGE -> "where a failed scan stopped: the next run starts there, then reads the pages before it";
        };
    }

    /** Where the next run starts when nothing is saved. */
    public String whenNone(SyncSettings settings) {
        return switch (this) {
        case OFFSET -> "the next run reads from the source's first record";
        case WINDOW -> "the next run starts at windowStart, " + settings.window().start();
        case SCAN_PAGE -> "the next run reads the source from its first page";
        };
    }
}
