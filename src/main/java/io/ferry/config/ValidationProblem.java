package io.ferry.config;

import java.util.Comparator;

/**
 * One thing {@code ferry validate} found wrong, said where an engineer fixes it: {@code routes/x.yaml:6: x: unknown
 * option 'keyy' of jushuitan:/open/shops/query}.
 *
 * @param file    the file to edit as the include pattern names it ({@code routes/x.yaml}); null for a setting
 * @param line    1-based, null when unknown
 * @param column  1-based, null when unknown
 * @param sync    the sync it belongs to; null when it belongs to none (a file that does not load)
 * @param message what is wrong
 */
public record ValidationProblem(String file, Integer line, Integer column, String sync, String message) {

    /** Files first, in order of file and line; then what belongs to no file, by sync. */
    static final Comparator<ValidationProblem> ORDER = Comparator
            .comparing((ValidationProblem p) -> p.file() == null)
            .thenComparing(p -> p.file() == null ? "" : p.file())
            .thenComparing(p -> p.line() == null ? 0 : p.line())
            .thenComparing(p -> p.column() == null ? 0 : p.column())
            .thenComparing(p -> p.sync() == null ? "" : p.sync())
            .thenComparing(ValidationProblem::message);

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (file != null) {
            b.append(file);
            if (line != null) {
                b.append(':').append(line);
                if (column != null) {
                    b.append(':').append(column);
                }
            }
            b.append(": ");
        }
        if (sync != null) {
            b.append(sync).append(": ");
        }
        return b.append(message).toString();
    }
}
