package io.ferry.kernel.source;

import java.util.Map;

import io.ferry.kernel.RunContext;

/**
 * One page to ask a source for.
 *
 * @param run      the run (sync name and run id for the API-call log)
 * @param params   the request parameters, placeholders replaced
 * @param page     the page number, for a source paged by number; else null
 * @param pageSize records per page
 * @param cursor   the cursor (or offset, or next URL) to ask from; null on the first page of a cursor scan
 */
public record PageRequest(RunContext run, Map<String, Object> params, Integer page, int pageSize, String cursor) {

    /** The position for messages: "page 3", "cursor abc". */
    public String position() {
        return page != null ? "page " + page : cursor == null ? "the first page" : "cursor " + cursor;
    }
}
