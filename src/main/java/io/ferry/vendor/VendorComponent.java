package io.ferry.vendor;

import java.time.Duration;

import org.apache.camel.support.DefaultComponent;

import io.ferry.http.ApiCallRecorder;
import io.ferry.http.ApiHttp;

/**
 * What every vendor component shares: its connection and read timeouts (component options
 * {@code connect-timeout} and {@code read-timeout}, in ms) and one {@link ApiHttp} transport, made on first use with
 * the API-call log as its recorder and closed when the component stops.
 */
public abstract class VendorComponent extends DefaultComponent {

    private final String system;
    private int connectTimeout;
    private int readTimeout;
    private ApiHttp http;

    protected VendorComponent(String system, int connectTimeout, int readTimeout) {
        this.system = system;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    public synchronized ApiHttp http() {
        if (http == null) {
            http = new ApiHttp(system, Duration.ofMillis(connectTimeout), Duration.ofMillis(readTimeout));
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
