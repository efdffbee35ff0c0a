package io.ferry.kernel.source;

import java.util.Locale;

/** How a source is paged. */
public enum PagingStyle {
    /** by page number ({@code ${page}}, from the API's first page) */
    PAGE,
    /** by record offset and limit ({@code ${offset}}, {@code ${pageSize}}) */
    OFFSET,
    /** by the cursor the previous answer gave ({@code ${cursor}}: the end signal's cursor path, or the Link header) */
    CURSOR,
    /** after the last record read: {@code ${cursor}} is its {@code cursorField}, e.g. an id or an offset */
    LAST_RECORD;

    public static PagingStyle parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return switch (t) {
        case "page", "pagenumber" -> PAGE;
        case "offset" -> OFFSET;
        case "cursor", "link" -> CURSOR;
        case "lastrecord" -> LAST_RECORD;
        default -> throw new IllegalArgumentException("paging: unknown style '" + text + "' (expected page, offset, cursor or lastRecord)");
        };
    }
}
