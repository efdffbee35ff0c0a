package io.ferry.kernel.source;

import java.util.List;
import java.util.Map;

/**
 * A source's answer to one page, after its connector checked the envelope (success code, signature, session):
 * the parsed JSON, its text (kept with errors) and the HTTP headers (for a Link header).
 */
public record PageAnswer(Object body, String raw, Map<String, List<String>> headers) {

    public PageAnswer(Object body, String raw) {
        this(body, raw, Map.of());
    }
}
