package io.ferry.observe;

import java.util.List;

import org.slf4j.LoggerFactory;

import io.ferry.http.ApiCall;
import io.ferry.http.ApiCallRecorder;

/** The one {@link ApiCallRecorder} in the registry (vendor components look it up by type): hands each call to the log and the metrics. */
public class ApiCallFanOut implements ApiCallRecorder {

    private final List<ApiCallRecorder> recorders;

    public ApiCallFanOut(List<ApiCallRecorder> recorders) {
        this.recorders = List.copyOf(recorders);
    }

    @Override
    public void record(ApiCall call) {
        for (ApiCallRecorder r : recorders) {
            try {
                r.record(call);
            } catch (RuntimeException e) {
                // observing a call must never fail the call
                LoggerFactory.getLogger(ApiCallFanOut.class).warn("API-call recorder {} failed: {}",
                        r.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
