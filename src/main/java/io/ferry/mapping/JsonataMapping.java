package io.ferry.mapping;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.dashjoin.jsonata.Jsonata;

/**
 * A record mapping written in JSONata (https://jsonata.org), kept in a file beside the route.
 * <p>
 * The expression is parsed once and evaluated per record with the source record as input, so renaming,
 * constants, nested objects ({@code {"FNumber": "100"}}), arithmetic, string and date functions
 * ({@code $toMillis}, {@code $fromMillis}) are all plain JSONata. Variables bound for each record:
 * {@code $key} (its business key), {@code $targetRef} (what the target called it last time, when known)
 * and {@code $sync}.
 */
public final class JsonataMapping {

    private final String location;
    private final Jsonata expression;

    private JsonataMapping(String location, Jsonata expression) {
        this.location = location;
        this.expression = expression;
    }

    public static JsonataMapping load(String location) {
        Path path = Path.of(location);
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("mapping file " + path.toAbsolutePath() + " cannot be read: " + e, e);
        }
        return parse(location, text);
    }

    public static JsonataMapping parse(String location, String text) {
        try {
            return new JsonataMapping(location, Jsonata.jsonata(text));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("mapping " + location + " is not valid JSONata: " + e.getMessage(), e);
        }
    }

    public String location() {
        return location;
    }

    /**
     * Maps one record. Throws {@link MappingException} when the expression fails on it or yields no object.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> apply(Map<String, Object> record, String key, String targetRef, String sync) {
        Object out;
        try {
            Jsonata.Frame frame = expression.createFrame();
            frame.bind("key", key);
            frame.bind("targetRef", targetRef);
            frame.bind("sync", sync);
            out = expression.evaluate(record, frame);
        } catch (RuntimeException e) {
            throw new MappingException("mapping " + location + " failed: " + e.getMessage(), e);
        }
        if (!(out instanceof Map)) {
            throw new MappingException("mapping " + location + " produced " + (out == null ? "nothing" : out.getClass().getSimpleName())
                    + " instead of an object", null);
        }
        return (Map<String, Object>) out;
    }

    /** The mapping failed on one record. */
    public static class MappingException extends RuntimeException {
        public MappingException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
