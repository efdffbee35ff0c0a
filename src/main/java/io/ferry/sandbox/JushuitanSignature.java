package io.ferry.sandbox;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code sign} a Jushuitan open API v2 server expects (protocols.md §3.1, sources J1, J3, J6, J7): lowercase hex
 * MD5 of the app secret followed by {@code key + value} of every form parameter, keys ascending, {@code sign} and
 * empty values not signed, {@code biz} as its whole JSON text. The secret is a prefix only, unlike Wangdiantong's.
 * <p>
 * Written from the protocol notes, not from Ferry's client, so that a signing mistake in the client fails here.
 */
final class JushuitanSignature {

    private JushuitanSignature() {
    }

    static String expected(String appSecret, Map<String, String> form) {
        String pairs = form.entrySet().stream()
                .filter(e -> !"sign".equals(e.getKey()) && e.getValue() != null && !e.getValue().isEmpty())
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + e.getValue())
                .collect(Collectors.joining());
        return Md5.hex(appSecret + pairs);
    }

    /** Whether the form's {@code sign} is the one its other parameters call for. */
    static boolean verify(String appSecret, Map<String, String> form) {
        String sent = form.get("sign");
        return sent != null && sent.equals(expected(appSecret, form));
    }
}
