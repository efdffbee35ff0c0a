package io.ferry.kernel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Keys, content hashes and JSON text of source records (JSON objects read as maps). */
public final class Records {

    /** Field order does not change a record's hash. */
    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Records() {
    }

    /** The value at {@code path} (dots reach into nested objects) as text, or null when absent or blank. */
    public static String field(Map<?, ?> record, String path) {
        Object v = record;
        for (String part : path.split("\\.")) {
            if (!(v instanceof Map<?, ?> m)) {
                return null;
            }
            v = m.get(part);
        }
        if (v == null || v instanceof Map || v instanceof Iterable) {
            return null;
        }
        String s = v instanceof Double || v instanceof Float ? stripZeroFraction(v.toString()) : v.toString();
        return s.isBlank() ? null : s;
    }

    private static String stripZeroFraction(String s) {
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    /** SHA-1 of the record's canonical JSON: tells whether a record changed since it was synced. */
    public static String contentHash(Object record) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(sha1.digest(CANONICAL.writeValueAsBytes(record)));
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot hash record: " + e.getMessage(), e);
        }
    }

    /** Digest of raw page text, to recognise a page served twice. */
    public static String fingerprint(String text) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(sha1.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Digest of a page's record keys in order, to recognise a page served twice: far cheaper than
     * {@link #contentHash} of the whole page, which writes every record as sorted JSON (a tenth of the CPU of a
     * run that skips everything). A record without its key counts as its content.
     */
    public static String keyFingerprint(List<? extends Map<?, ?>> records, String keyField) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (Map<?, ?> record : records) {
                String key = record == null ? null : field(record, keyField);
                sha1.update((key != null ? "k:" + key : "r:" + contentHash(record)).getBytes(StandardCharsets.UTF_8));
                sha1.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String toJson(Object value) {
        if (value instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
