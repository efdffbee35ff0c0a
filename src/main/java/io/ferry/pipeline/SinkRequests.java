package io.ferry.pipeline;

import java.util.List;

import org.apache.camel.Endpoint;
import org.apache.camel.component.bean.BeanEndpoint;
import org.apache.camel.component.sql.SqlEndpoint;

import io.ferry.connector.sql.SqlBatchRender;
import io.ferry.kernel.RendersRequest;

/**
 * What a sink endpoint would send for a batch of rows, rendered without sending: a sink that renders its own requests
 * ({@link RendersRequest}: Kingdee's BatchSave, a bean that does), a {@code sql:} statement bound per row, else
 * nothing (the rows are all there is to show).
 */
public final class SinkRequests {

    private SinkRequests() {
    }

    /** The requests, one element per call; null when the sink cannot render them. */
    public static List<Object> render(Endpoint sink, List<?> rows) {
        if (sink instanceof RendersRequest r) {
            return r.render(rows);
        }
        if (sink instanceof SqlEndpoint sql) {
            return SqlBatchRender.render(sql.getQuery(), rows);
        }
        if (sink instanceof BeanEndpoint bean && bean.getBeanName() != null) {
            Object target = sink.getCamelContext().getRegistry().lookupByName(bean.getBeanName());
            if (target instanceof RendersRequest r) {
                return r.render(rows);
            }
        }
        return null;
    }

    /** Whether {@link #render} renders this sink's requests. */
    public static boolean renders(Endpoint sink) {
        return render(sink, List.of()) != null;
    }
}
