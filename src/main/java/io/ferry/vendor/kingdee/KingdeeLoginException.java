package io.ferry.vendor.kingdee;

import io.ferry.pipeline.TransientException;

/**
 * Kingdee did not open a session (wrong credentials, unknown data centre, session lost again right after a
 * login). No row is at fault, so this fails the run instead of dead-lettering the batch: it is a
 * {@link TransientException}, which the pipeline never blames on rows.
 */
public class KingdeeLoginException extends TransientException {
    public KingdeeLoginException(String message) {
        super(message);
    }
}
