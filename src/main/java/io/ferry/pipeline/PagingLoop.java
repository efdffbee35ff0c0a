package io.ferry.pipeline;

import org.apache.camel.Exchange;

/**
 * The condition of a sync route's paging loop, bound as the bean {@value #BEAN}:
 * {@code loop: {doWhile: true, method: {ref: ferryPaging, method: hasMore}}}. True while the run's source has more
 * pages; a round that read no page fails the run (see {@link io.ferry.kernel.Paging#continueLoop()}).
 */
public class PagingLoop {

    public static final String BEAN = "ferryPaging";

    public boolean hasMore(Exchange exchange) {
        return SyncRun.of(exchange).isHasMore();
    }
}
