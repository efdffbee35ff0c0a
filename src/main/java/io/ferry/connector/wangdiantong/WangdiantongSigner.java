package io.ferry.connector.wangdiantong;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The three signatures of Wangdiantong 旗舰版 (protocols.md §2.1, §2.2):
 * <ul>
 * <li>{@link #direct}: the direct OpenAPI's lowercase MD5 over the query parameters plus the pseudo-parameter
 * {@code body};</li>
 * <li>{@link #wdtSign}: the inner {@code wdt_sign} of a Qimen custom call, over the Wangdiantong parameters with
 * JSON values flattened;</li>
 * <li>{@link #top}: the outer Qimen/TOP uppercase MD5 (or HMAC-MD5) over every request parameter.</li>
 * </ul>
 */
public final class WangdiantongSigner {

    /** Parameters of a Qimen call that belong to the router, not to Wangdiantong: left out of {@code wdt_sign}. */
    static final Set<String> QIMEN_OUTER = Set.of("app_key", "format", "v", "sign_method", "target_app_key", "timestamp",
            "sign", "wdt3_customer_id", "wdt_sign", "customerid", "session", "partner_id", "simplify");

    private static final ObjectMapper JSON = new ObjectMapper();

    private WangdiantongSigner() {
    }

    /**
     * {@code md5(secret + k1 + v1 + k2 + v2 … + secret)}, keys sorted, {@code sign} left out. {@code params} must
     * already hold the pseudo-parameter {@code body} (the exact JSON body text).
     */
    public static String direct(String secret, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(secret);
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            if (e.getKey().equals("sign") || e.getValue() == null) {
                continue;
            }
            sb.append(e.getKey()).append(e.getValue());
        }
        return md5(sb.append(secret).toString());
    }

    /**
     * {@code wdt_sign}: {@code md5(wdtSecret + S + wdtSecret)} where S is the Wangdiantong parameters sorted by
     * key, each as key + value; a value that is JSON (an object or array, also when it arrives as a JSON string
     * such as {@code params} or {@code pager}) is flattened: object → sorted key + value pairs, array → its
     * elements in order, nulls left out. Router parameters ({@link #QIMEN_OUTER}) are not signed.
     */
    public static String wdtSign(String wdtSecret, Map<String, String> params) {
        return md5(wdtSecret + wdtSignedString(params) + wdtSecret);
    }

    /** The string between the two secrets of {@link #wdtSign}, for diagnostics and tests. */
    public static String wdtSignedString(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            if (QIMEN_OUTER.contains(e.getKey()) || e.getValue() == null) {
                continue;
            }
            sb.append(e.getKey());
            flatten(parseIfJson(e.getValue()), sb);
        }
        return sb.toString();
    }

    /**
     * The variant one client library computes: {@code params} and {@code pager} signed as raw JSON text, not
     * flattened (protocols.md §2.2 CONFLICT). Only the simulator accepts it; Ferry signs flattened.
     */
    public static String wdtSignRaw(String wdtSecret, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(wdtSecret);
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            if (QIMEN_OUTER.contains(e.getKey()) || e.getValue() == null) {
                continue;
            }
            sb.append(e.getKey()).append(e.getValue());
        }
        return md5(sb.append(wdtSecret).toString());
    }

    /**
     * Taobao TOP / Qimen router sign: uppercase hex of {@code md5(secret + k1v1k2v2… + secret)} for
     * {@code sign_method=md5}, or {@code HMAC-MD5(secret, k1v1k2v2…)} for {@code hmac}; keys sorted, {@code sign}
     * and empty values left out.
     */
    public static String top(String secret, String signMethod, Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            if (e.getKey().equals("sign") || e.getValue() == null || e.getValue().isEmpty()) {
                continue;
            }
            sb.append(e.getKey()).append(e.getValue());
        }
        if ("hmac".equalsIgnoreCase(signMethod)) {
            return hmacMd5(secret, sb.toString()).toUpperCase();
        }
        return md5(secret + sb + secret).toUpperCase();
    }

    private static Object parseIfJson(String value) {
        String t = value.strip();
        if (t.startsWith("{") || t.startsWith("[")) {
            try {
                return JSON.readValue(t, Object.class);
            } catch (JsonProcessingException e) {
                return value;
            }
        }
        return value;
    }

    private static void flatten(Object value, StringBuilder sb) {
        if (value == null) {
            return;
        }
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
                if (e.getValue() == null) {
                    continue;
                }
                sb.append(e.getKey());
                flatten(e.getValue(), sb);
            }
        } else if (value instanceof List<?> list) {
            for (Object o : list) {
                flatten(o, sb);
            }
        } else {
            sb.append(value);
        }
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmacMd5(String secret, String s) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
            return HexFormat.of().formatHex(mac.doFinal(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
