package io.ferry.mapping;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.dashjoin.jsonata.Jsonata;

/**
 * A record mapping written in JSONata (https://jsonata.org), kept in a file beside the route.
 * <p>
 * The expression is parsed once and evaluated per record with the source record as input, so renaming,
 * constants, nested objects ({@code {"FNumber": "100"}}), arithmetic, string and date functions
 * ({@code $toMillis}, {@code $fromMillis}) are all plain JSONata, and Ferry adds {@link MappingFunctions}
 * ({@code $datetime}). Variables bound for each record: {@code $key} (its business key), {@code $targetRef}
 * (what the target called it last time, when known) and {@code $sync}.
 */
public final class JsonataMapping {

    /**
     * jsonata-java 0.9.8 stores the frame of every node it evaluates in the instance's {@code environment} and
     * starts the next top-level evaluation from it, so on the thread that parsed the expression each record
     * adds frames to a chain that every variable and function lookup walks: mapping slowed from microseconds to
     * tens of milliseconds per record within a few thousand records. Each evaluation starts again from the
     * environment the expression was parsed with.
     */
    private static final Field ENVIRONMENT = environmentField();

    private final String location;
    private final Jsonata expression;
    private final Object pristineEnvironment;

    private JsonataMapping(String location, Jsonata expression) {
        this.location = location;
        this.expression = expression;
        this.pristineEnvironment = readEnvironment(expression);
    }

    private static Field environmentField() {
        try {
            Field f = Jsonata.class.getDeclaredField("environment");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // another jsonata-java version: nothing to reset
        }
    }

    private static Object readEnvironment(Jsonata expression) {
        try {
            return ENVIRONMENT == null ? null : ENVIRONMENT.get(expression);
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    private void resetEnvironment() {
        if (pristineEnvironment != null) {
            try {
                ENVIRONMENT.set(expression, pristineEnvironment);
            } catch (IllegalAccessException e) {
                // not resettable: correct, only slower
            }
        }
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
            Jsonata expression = Jsonata.jsonata(text);
            MappingFunctions.register(expression);
            // records come from Jackson: checking every value's type again before each evaluation is wasted
            expression.setValidateInput(false);
            return new JsonataMapping(location, expression);
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
            resetEnvironment();
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
