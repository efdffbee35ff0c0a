package io.ferry.http;

import java.time.Instant;

/**
 * One call to a vendor's API, as the API-call log keeps it. Bodies are already masked: no secret, token or
 * signature reaches this record.
 *
 * @param direction  {@code pull} from a source or {@code push} to a target
 * @param vendorCode the vendor's own result code when the answer carried one
 */
public record ApiCall(String sync, Long runId, String system, String direction, String endpoint, int httpStatus,
        String vendorCode, long latencyMillis, String requestBody, String responseBody, String error, Instant at) {
}
