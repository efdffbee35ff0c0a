package io.ferry.kernel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * What a failed call means, decided by what happened and not by where: the one classification the sources, the
 * sinks and the look-ups share. Each vendor client has a table of its own answers (its codes and messages) in these
 * terms; the rules here are the ones every vendor shares: the transport ({@link #ofAnswer}) and an exception that
 * ended a call ({@link #of(Throwable)}).
 * <ul>
 * <li>{@link #TRANSIENT}: asking again may pass — a reset or timeout, HTTP 5xx/408/429, an HTML page where JSON was
 * expected (a gateway's error page, with status 200 too), an empty or truncated body (cut in the middle of the JSON
 * or of a UTF-8 character), the vendor's rate limit, deadlock or "try again". Retried per call with back-off
 * ({@code routes/ferry-sync.yaml}); when the attempts are spent the run fails with nothing marked that was not
 * delivered, and nothing is dead-lettered for it.</li>
 * <li>{@link #REJECTED_ROW}: the target refused a row for the row's own reason; only this is dead-lettered.</li>
 * <li>{@link #CONFIGURATION}: the sync is set up wrong (a form, field, path or parameter the vendor does not have):
 * every call would fail the same way, so the run fails at once.</li>
 * <li>{@link #CREDENTIALS}: the vendor refused who Ferry says it is: the run fails at once, naming the properties.</li>
 * </ul>
 */
public enum Failure {
    TRANSIENT, REJECTED_ROW, CONFIGURATION, CREDENTIALS;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What an HTTP answer says before its vendor's envelope is read, or null when it is a complete JSON answer below
     * 400 and the vendor's own code must decide.
     */
    public static Failure ofAnswer(int status, String contentType, byte[] body) {
        String text = utf8(body);
        if (text == null && ofStatus(status) == null) {
            return TRANSIENT; // cut in the middle of a character, or not the UTF-8 every vendor here answers
        }
        Failure reply = ofReply(status, contentType, text);
        if (reply != null) {
            return reply;
        }
        try {
            JSON.readTree(text.strip());
            return null;
        } catch (JsonProcessingException e) {
            return TRANSIENT; // cut off in the middle of the JSON
        }
    }

    /**
     * A decoded reply, as a vendor client reads it: its status ({@link #ofStatus}), then its body ({@link #ofBody});
     * null when the client may parse it (a JSON document that does not parse is {@link #TRANSIENT} too).
     */
    public static Failure ofReply(int status, String contentType, String text) {
        Failure byStatus = ofStatus(status);
        return byStatus != null ? byStatus : ofBody(contentType, text);
    }

    /** The status alone: 5xx, 408 and 429 may pass; 401/403 are credentials; any other 4xx is the request's fault. */
    public static Failure ofStatus(int status) {
        if (status >= 500 || status == 408 || status == 429) {
            return TRANSIENT;
        }
        if (status == 401 || status == 403) {
            return CREDENTIALS;
        }
        if (status >= 400) {
            return CONFIGURATION;
        }
        return null;
    }

    /**
     * A decoded body where the vendor's JSON was expected: an HTML page (a gateway's, whatever its status) or an
     * empty body is {@link #TRANSIENT}; null otherwise (the caller parses it).
     */
    public static Failure ofBody(String contentType, String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty() || t.startsWith("<") || (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/html"))) {
            return TRANSIENT;
        }
        return null;
    }

    /**
     * A vendor's business answer whose message asks to be tried again later (请稍后重试, 系统繁忙, "try again later"):
     * whatever its code, the vendor says it is passing.
     */
    public static boolean saysTryAgain(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("稍后重试") || m.contains("系统繁忙") || m.contains("try again later");
    }

    /** The body as UTF-8, or null when it is not (a body cut in the middle of a multi-byte character is not). */
    public static String utf8(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) {
            // nothing was replaced, so every byte was UTF-8 (the JDK's decoding is much faster than a strict decoder)
            return text;
        }
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult r = strict.decode(ByteBuffer.wrap(body), CharBuffer.allocate(body.length), true);
        return r.isError() ? null : text;
    }

    /**
     * The class of an exception that ended a call, wherever it was thrown (a vendor client, the JDBC driver, the
     * pool): anything not known to pass or to be about the setup is taken to be about the rows, which a sink then
     * narrows down row by row.
     */
    public static Failure of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isTransient(t)) {
                return TRANSIENT;
            }
            if (t instanceof ConfigurationException) {
                // a target's setup error, credentials refused, a setting missing
                return CONFIGURATION;
            }
        }
        return REJECTED_ROW;
    }

    private static boolean isTransient(Throwable t) {
        if (t instanceof TransientException || t instanceof IOException || t instanceof SQLTransientException
                || t instanceof SQLRecoverableException || t instanceof SQLNonTransientConnectionException
                || t instanceof StateException) {
            return true;
        }
        if (t instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("40"))) {
            // connection exceptions and transaction rollbacks (deadlock, serialization failure), whatever the driver's class
            return true;
        }
        if (t instanceof SQLException sql && isClosedConnection(sql)) {
            return true;
        }
        String name = t.getClass().getName();
        return name.startsWith("org.springframework.dao.Transient") || name.equals("org.springframework.dao.DataAccessResourceFailureException")
                || name.equals("org.springframework.jdbc.CannotGetJdbcConnectionException");
    }

    /**
     * A connection lost under a statement, as the pool or the driver reports it without a SQLSTATE: HikariCP's
     * "Connection is closed" on a connection it evicted, Connector/J's "No operations allowed after connection closed",
     * and its "No operations allowed after statement closed" for a statement closed with its dead connection (a
     * sql: sink's batch under auto-commit starts with the statement, not with a call on the connection).
     */
    public static boolean isClosedConnection(SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return message.startsWith("Connection is closed") || message.startsWith("No operations allowed after connection closed")
                || message.startsWith("No operations allowed after statement closed");
    }
}
