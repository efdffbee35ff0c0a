package io.ferry.pipeline;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

/**
 * Gives every call of a route ({@code to:} a vendor, the state database, a sink) its own retry attempts. Camel's
 * error handler counts attempts in the message header {@value Exchange#REDELIVERY_COUNTER} and keeps it after a
 * retry succeeded; a sync's paging loop sends one exchange from page to page, so without this the third fault of a
 * whole run exhausted two retries. The count is cleared when a call succeeds.
 */
public class PerCallRetries implements InterceptStrategy {

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
            Processor nextTarget) {
        if (!(definition instanceof SendDefinition<?>)) {
            return target;
        }
        return new DelegateAsyncProcessor(target) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                return processor.process(exchange, doneSync -> {
                    if (exchange.getException() == null) {
                        exchange.getIn().removeHeaders("CamelRedeliver*");
                    }
                    callback.done(doneSync);
                });
            }
        };
    }
}
