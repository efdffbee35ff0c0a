package io.ferry.kernel;

/**
 * The target refused a whole batch for a reason that is about the sync's configuration, not about its rows (a
 * form or table that does not exist, a field the target does not know, no permission): every row would be
 * refused the same way. The run fails at once with the target's message; no row is dead-lettered or marked, and
 * it is not retried: a {@link ConfigurationException} that the target reported.
 */
public class TargetConfigurationException extends ConfigurationException {
    public TargetConfigurationException(String message) {
        super(message);
    }
}
