package io.ferry.sandbox;

import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The signatures a Wangdiantong 旗舰版 server, and the Qimen router in front of it, expect (protocols.md §2.1, §2.2):
 * <ul>
 * <li>direct OpenAPI {@code sign}: lowercase MD5 of {@code secret + key1 value1 key2 value2 … + secret} over every
 * query parameter but {@code sign}, plus the pseudo-parameter {@code body} holding the exact JSON body [W3, W4, W5];</li>
 * <li>Qimen inner {@code wdt_sign}: lowercase MD5 of {@code secret + S + secret}, S the Wangdiantong parameters in
 * key order, each key followed by its value, a JSON value (also one sent as text, like {@code params} and
 * {@code pager}) flattened: an object as its keys in order each followed by its value, an array as its elements,
 * no brackets or quotes, nulls left out [W7, W8]; also accepted: the variant one library computes, the same with
 * JSON values signed as their raw text [W5];</li>
 * <li>Qimen outer {@code sign}: uppercase MD5 of {@code qimenSecret + pairs + qimenSecret} ({@code sign_method=md5})
 * or uppercase HMAC-MD5 of the pairs under the secret ({@code hmac}), the pairs being every request parameter but
 * {@code sign} with a non-empty value, key order [W9, W5].</li>
 * </ul>
 * Written from the protocol notes, not from Ferry's client, so that a signing mistake in the client fails here.
 */
final class WangdiantongSignature {

    /**
     * A Qimen call's parameters that are the router's (TOP's), not Wangdiantong's, and so outside {@code wdt_sign};
     * {@code method} is both and is signed.
     */
    private static final Set<String> ROUTER_PARAMETERS = Set.of("app_key", "format", "v", "sign_method", "target_app_key",
            "timestamp", "sign");
    /** Wangdiantong parameters that {@code wdt_sign} leaves out: the seller account and the signature itself. */
    private static final Set<String> UNSIGNED_WDT_PARAMETERS = Set.of("wdt3_customer_id", "wdt_sign");

    private static final ObjectMapper JSON = new ObjectMapper();

    private WangdiantongSignature() {
    }

    // ---- direct OpenAPI ----

    static String direct(String secret, Map<String, String> query, String body) {
        Map<String, String> signed = new HashMap<>(query);
        signed.remove("sign");
        signed.put("body", body);
        return Md5.hex(secret + pairs(signed, key -> true, Function.identity()) + secret);
    }

    static boolean verifyDirect(String secret, Map<String, String> query, String body) {
        return matches(query.get("sign"), direct(secret, query, body));
    }

    // ---- Qimen inner wdt_sign ----

    /** S of {@code wdt_sign}: what goes between the two secrets. */
    static String wdtSignedText(Map<String, String> request) {
        return pairs(request, WangdiantongSignature::isSignedWdtParameter, WangdiantongSignature::flattened);
    }

    static String wdtSign(String secret, Map<String, String> request) {
        return Md5.hex(secret + wdtSignedText(request) + secret);
    }

    /** The variant with JSON values as their raw text (protocols.md §2.2 CONFLICT). */
    static String wdtSignOfRawJson(String secret, Map<String, String> request) {
        return Md5.hex(secret + pairs(request, WangdiantongSignature::isSignedWdtParameter, Function.identity()) + secret);
    }

    /** Whether {@code wdt_sign} is either of the two variants. */
    static boolean verifyWdtSign(String secret, Map<String, String> request) {
        String sent = request.get("wdt_sign");
        return matches(sent, wdtSign(secret, request)) || matches(sent, wdtSignOfRawJson(secret, request));
    }

    private static boolean isSignedWdtParameter(String key) {
        return !ROUTER_PARAMETERS.contains(key) && !UNSIGNED_WDT_PARAMETERS.contains(key);
    }

    /** A value that is a JSON object or array, flattened; any other value as it is. */
    private static String flattened(String value) {
        String text = value.strip();
        if (!text.startsWith("{") && !text.startsWith("[")) {
            return value;
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        flatten(node, out);
        return out.toString();
    }

    private static void flatten(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            node.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue()));
            fields.forEach((key, value) -> {
                if (!value.isNull()) {
                    out.append(key);
                    flatten(value, out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> flatten(element, out));
        } else if (!node.isNull()) {
            out.append(node.asText());
        }
    }

    // ---- Qimen outer (TOP) sign ----

    /** @param signMethod {@code md5} or {@code hmac} */
    static String routerSign(String qimenSecret, String signMethod, Map<String, String> request) {
        String pairs = pairs(request, key -> !"sign".equals(key) && !request.get(key).isEmpty(), Function.identity());
        String hex = switch (signMethod) {
            case "md5" -> Md5.hex(qimenSecret + pairs + qimenSecret);
            case "hmac" -> Md5.hmacHex(qimenSecret, pairs);
            default -> throw new IllegalArgumentException("sign_method " + signMethod + " is neither md5 nor hmac");
        };
        return hex.toUpperCase(Locale.ROOT);
    }

    /** Whether {@code sign} is right for the request's own {@code sign_method}. */
    static boolean verifyRouterSign(String qimenSecret, Map<String, String> request) {
        return matches(request.get("sign"), routerSign(qimenSecret, request.get("sign_method"), request));
    }

    // ---- shared ----

    /** {@code key + value} of the kept parameters, keys ascending; null values are never signed. */
    private static String pairs(Map<String, String> params, Predicate<String> keep, Function<String, String> valueText) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(params).forEach((key, value) -> {
            if (value != null && keep.test(key)) {
                out.append(key).append(valueText.apply(value));
            }
        });
        return out.toString();
    }

    private static boolean matches(String sent, String expected) {
        return sent != null && sent.equals(expected);
    }
}
