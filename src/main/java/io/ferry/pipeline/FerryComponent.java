package io.ferry.pipeline;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import io.ferry.state.FerryState;

/**
 * The {@code ferry:} component: the steps of a sync route that need Ferry's state.
 * <ul>
 * <li>{@code ferry:start?sync=NAME&key=FIELD} opens a run (one at a time per sync)</li>
 * <li>{@code ferry:dedup} drops the page's records that are already synced (one query per page)</li>
 * <li>{@code ferry:map?mapping=FILE} maps each record of a page (or the one record of a split) with a JSONata file</li>
 * <li>{@code ferry:aggregate?size=20&sink=URI} collects mapped rows and writes each full batch through the sink,
 * synchronously, marking the rows the sink confirmed</li>
 * <li>{@code ferry:finish} writes the last partial batches, saves the offset and closes the run</li>
 * </ul>
 */
public class FerryComponent extends DefaultComponent {

    private FerryState state;
    private SyncRegistry syncs;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        FerryEndpoint.Operation op = FerryEndpoint.Operation.parse(remaining, uri);
        FerryEndpoint endpoint = new FerryEndpoint(uri, this, op);
        setProperties(endpoint, parameters);
        // a misspelt parameter is named as such, not reported as the required one it was meant to be
        validateParameters(uri, parameters, null);
        endpoint.validate();
        return endpoint;
    }

    FerryState state() {
        if (state == null) {
            state = getCamelContext().getRegistry().lookupByNameAndType(FerryState.BEAN, FerryState.class);
            if (state == null) {
                throw new IllegalStateException("no '" + FerryState.BEAN + "' bean: Ferry's state database is not configured");
            }
        }
        return state;
    }

    SyncRegistry syncs() {
        if (syncs == null) {
            syncs = getCamelContext().getRegistry().lookupByNameAndType(SyncRegistry.BEAN, SyncRegistry.class);
            if (syncs == null) {
                syncs = new SyncRegistry();
                getCamelContext().getRegistry().bind(SyncRegistry.BEAN, syncs);
            }
        }
        return syncs;
    }
}
