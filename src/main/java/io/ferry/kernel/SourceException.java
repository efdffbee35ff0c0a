package io.ferry.kernel;

/**
 * The source answered something Ferry cannot use and will not improve by asking again: a bad signature
 * or token, a business error code, a page the vendor's JSON does not fit. The run fails with this message. (An answer
 * that is not JSON at all may pass: {@link UnreadableAnswerException}, retried first.)
 */
public class SourceException extends RuntimeException {

    private final String rawPage;

    public SourceException(String message) {
        this(message, null);
    }

    /** @param rawPage what the source answered, kept in the dead-letter table so that it can be looked at */
    public SourceException(String message, String rawPage) {
        super(message);
        this.rawPage = rawPage;
    }

    /** @param cause what decides whether it is retried ({@link UnreadableAnswerException}) */
    protected SourceException(String message, String rawPage, Throwable cause) {
        super(message, cause);
        this.rawPage = rawPage;
    }

    public String getRawPage() {
        return rawPage;
    }
}
