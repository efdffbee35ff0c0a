package io.ferry.connector.kingdee;

/**
 * Kingdee refused a call for a reason that asking again will not fix (a malformed request, an unknown form or
 * field). A sink batch failing this way is narrowed down row by row by the pipeline.
 */
public class KingdeeException extends RuntimeException {
    public KingdeeException(String message) {
        super(message);
    }
}
