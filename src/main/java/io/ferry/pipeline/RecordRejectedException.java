package io.ferry.pipeline;

/**
 * One record cannot be delivered as it is (no key, a mapping that fails on it, a target that rejects it).
 * It goes to the dead-letter table at once, is not retried, and the run goes on with the next record.
 */
public class RecordRejectedException extends RuntimeException {

    private final String recordKey;
    private final Object payload;

    public RecordRejectedException(String message, String recordKey, Object payload) {
        super(message);
        this.recordKey = recordKey;
        this.payload = payload;
    }

    public RecordRejectedException(String message, String recordKey, Object payload, Throwable cause) {
        super(message, cause);
        this.recordKey = recordKey;
        this.payload = payload;
    }

    public String getRecordKey() {
        return recordKey;
    }

    public Object getPayload() {
        return payload;
    }
}
