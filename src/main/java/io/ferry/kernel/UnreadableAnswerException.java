package io.ferry.kernel;

/**
 * An answer that is not the vendor's JSON: an HTML page (a gateway's 502, a maintenance page served with status
 * 200), an empty body, JSON cut off in the middle, bytes cut in the middle of a UTF-8 character. As often as not a
 * passing fault between Ferry and the vendor, so it is {@link io.ferry.kernel.Failure#TRANSIENT}: its cause is a
 * {@link TransientException}, which the route configuration {@code ferry-sync} retries (Camel matches the causes of
 * an exception first). When the attempts are spent the run fails and, at a source, the page is kept as a
 * dead letter, as for any other {@link SourceException}.
 */
public class UnreadableAnswerException extends SourceException {

    public UnreadableAnswerException(String message, String rawPage) {
        super(message, rawPage, new TransientException(message));
    }
}
