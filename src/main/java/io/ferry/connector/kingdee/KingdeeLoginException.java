package io.ferry.connector.kingdee;

import io.ferry.kernel.ConfigurationException;

/**
 * Kingdee did not open a session: it refused the credentials (wrong password or app secret, unknown user or data
 * centre), or lost the session again right after a login. Asking again gives the same answer and counts towards
 * the account's lockout, and no row is at fault: it is a {@link ConfigurationException}, which the route does not
 * retry and the pipeline never blames on rows. The run fails with Kingdee's message and the properties to check.
 */
public class KingdeeLoginException extends ConfigurationException {
    public KingdeeLoginException(String message) {
        super(message);
    }
}
