package io.ferry.vendor.jellyfish;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

import io.ferry.http.ApiCallRecorder;
import io.ferry.http.ApiHttp;

/**
 * JellyFish-style incremental sync between any two systems (protocols.md §4): {@code jellyfish:pull?url=…&offsetField=id}
 * reads the next records of system A after the run's offset; {@code jellyfish:push?url=…} delivers records to
 * system B one at a time. Neither side signs or authenticates; timeouts are component options
 * ({@code camel.component.jellyfish.connect-timeout}, {@code read-timeout}, in ms).
 */
public class JellyFishComponent extends DefaultComponent {

    private int connectTimeout = 30_000;
    private int readTimeout = 30_000;
    private ApiHttp http;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        JellyFishEndpoint endpoint = new JellyFishEndpoint(uri, this, JellyFishEndpoint.Operation.parse(remaining, uri));
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    synchronized ApiHttp http() {
        if (http == null) {
            http = new ApiHttp("jellyfish", Duration.ofMillis(connectTimeout), Duration.ofMillis(readTimeout));
            http.setRecorder(getCamelContext().getRegistry().findSingleByType(ApiCallRecorder.class));
        }
        return http;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (http != null) {
            http.close();
            http = null;
        }
        super.doStop();
    }

    public int getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getReadTimeout() {
        return readTimeout;
    }

    public void setReadTimeout(int readTimeout) {
        this.readTimeout = readTimeout;
    }
}
