package io.ferry.http;

/** Receives every vendor API call (the API-call log, metrics). */
@FunctionalInterface
public interface ApiCallRecorder {

    ApiCallRecorder NONE = call -> {
    };

    void record(ApiCall call);
}
