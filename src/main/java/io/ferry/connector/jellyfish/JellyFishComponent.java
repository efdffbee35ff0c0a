package io.ferry.connector.jellyfish;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;

import io.ferry.config.SettingProblem;
import io.ferry.connector.PacedConnectorComponent;
import io.ferry.http.Pacer;

/**
 * JellyFish-style incremental sync between any two systems (protocols.md §4): {@code jellyfish:pull?url=…&offsetField=id}
 * reads the next records of system A after the run's offset; {@code jellyfish:push?url=…} delivers records to
 * system B one at a time. Neither side signs or authenticates; timeouts are component options
 * ({@code camel.component.jellyfish.connect-timeout}, {@code read-timeout}, in ms).
 */
public class JellyFishComponent extends PacedConnectorComponent {

    public JellyFishComponent() {
        super("jellyfish", 30_000, 30_000);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (JellyFishEndpoint.Operation.parse(remaining, uri) == JellyFishEndpoint.Operation.PULL) {
            JellyFishPullEndpoint pull = new JellyFishPullEndpoint(uri, this);
            setProperties(pull, parameters);
            pull.validateSource();
            return pull;
        }
        JellyFishEndpoint endpoint = new JellyFishEndpoint(uri, this, JellyFishEndpoint.Operation.PUSH);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    @Override
    protected void checkSettings(List<SettingProblem> problems) {
        // nothing component-wide: each endpoint names its system's URL
    }

    @Override
    public Set<String> requiredParameters() {
        return Set.of("url");
    }

    /** Redeclared for JellyFish's own default, 30 s as its RestTemplate's. */
    @Override
    @Metadata(label = "advanced", defaultValue = "30000", description = "How long (ms) a call waits to connect to the"
            + " server; one that cannot connect in time fails as transient.")
    public void setConnectTimeout(int connectTimeout) {
        super.setConnectTimeout(connectTimeout);
    }

    /** The budget of one system (its host and port), shared by every JellyFish endpoint of the process that calls it. */
    Pacer pacer(java.net.URI system) {
        return pacer("jellyfish " + system.getHost() + ":" + system.getPort());
    }
}
