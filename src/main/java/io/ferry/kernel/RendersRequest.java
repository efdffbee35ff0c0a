package io.ferry.kernel;

import java.util.List;

/**
 * A sink that can say, without sending anything, what it would send for a batch of rows: its vendor's request
 * bodies (Kingdee's BatchSave envelope) or its statements with their parameters bound per row (sql:). A preview shows
 * this as "the rows as they would be sent"; a sink that does not implement it is shown its rows alone.
 */
public interface RendersRequest {

    /**
     * The requests this batch would be sent as, in order: JSON-like values (maps, lists, strings, numbers), one
     * element per call the sink would make; null when this endpoint is not used as a sink (an endpoint that is both).
     * Must not call anything or change any state.
     */
    List<Object> render(List<?> rows);
}
