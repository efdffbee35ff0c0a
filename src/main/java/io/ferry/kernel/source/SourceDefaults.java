package io.ferry.kernel.source;

/**
 * What a connector knows of one of its APIs, used where the route does not say otherwise.
 *
 * @param params      the request parameters that carry the page position, e.g. {@code {"page_index":"${page}"}}
 * @param records     where the records are in the answer; null when the connector does not know this API
 * @param endSignal   the API's end signal (see {@link EndSignal})
 * @param paging      how the API is paged
 * @param firstPage   the first page number (0 or 1) of an API paged by number
 * @param pageSize    the page size asked for by default
 * @param maxPageSize the largest page size the API accepts
 */
public record SourceDefaults(String params, String records, String endSignal, PagingStyle paging, int firstPage, int pageSize,
        int maxPageSize) {
}
