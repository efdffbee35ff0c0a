package io.ferry.observe;

import java.time.Instant;

/**
 * Something an operator should hear about.
 *
 * @param kind {@code run-failed}, {@code dead-letters-grew}, {@code credentials-rejected}, {@code reconcile-differences} or
 *             {@code reconcile-failed}
 */
public record Alert(String kind, String sync, Long runId, String message, String node, Instant at) {

    /** One line for a chat message. */
    public String text() {
        return "Ferry " + node + " — " + sync + ": " + message;
    }
}
