package io.ferry.kernel.source;

/** A source endpoint's options, checked and combined with its connector's defaults. */
public record SourceSpec(String what, RequestTemplate params, RecordsPath records, EndSignal endSignal, PagingStyle paging,
        int firstPage, int pageSize, String cursorField, String initialCursor, boolean pageAhead) {
}
