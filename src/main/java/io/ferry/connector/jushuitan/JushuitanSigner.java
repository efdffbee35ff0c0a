package io.ferry.connector.jushuitan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Jushuitan open API v2 signature: lowercase hex MD5 of the app secret followed by every parameter as
 * key + value, keys in ascending order, {@code sign} and empty values left out (protocols.md §3.1).
 */
public final class JushuitanSigner {

    private JushuitanSigner() {
    }

    public static String sign(String appSecret, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(appSecret);
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            if (e.getKey().equals("sign") || e.getValue() == null || e.getValue().isEmpty()) {
                continue;
            }
            sb.append(e.getKey()).append(e.getValue());
        }
        return md5Hex(sb.toString());
    }

    static String md5Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
