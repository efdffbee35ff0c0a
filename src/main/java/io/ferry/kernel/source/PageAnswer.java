package io.ferry.kernel.source;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.ferry.kernel.Records;

/**
 * A source's answer to one page, after its connector checked the envelope (success code, signature, session):
 * the parsed JSON, its text (kept with errors) and the HTTP headers (for a Link header).
 */
public record PageAnswer(Object body, Supplier<String> text, Map<String, List<String>> headers) {

    public PageAnswer(Object body, String raw) {
        this(body, () -> raw, Map.of());
    }

    public PageAnswer(Object body, String raw, Map<String, List<String>> headers) {
        this(body, () -> raw, headers);
    }

    /**
     * An answer whose text is what the connector parsed, written again as JSON only when an error keeps it: writing
     * every page's 30 KB again was a seventh of the reading thread's CPU (docs/benchmarks.md).
     */
    public static PageAnswer writtenOnDemand(Object body, Object parsed) {
        return new PageAnswer(body, () -> Records.toJson(parsed), Map.of());
    }

    /** The answer's text. */
    public String raw() {
        return text.get();
    }
}
