package io.ferry.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The simulator's own reading of Kingdee's signatures (protocols.md §1.2 (c) and (d)), written from the protocol and
 * checked against its check values, so that a mistake in the product's signer cannot be mirrored here.
 */
final class KingdeeSignatures {

    /** The key the official SDKs XOR the app id's second part with to get the gateway secret. */
    private static final String GATEWAY_KEY = "0054f397c6234378b09ca7d3e5debce7";

    private KingdeeSignatures() {
    }

    /** LoginBySign: SHA-256, lowercase hex, of the five values sorted ordinally and joined without a separator. */
    static String loginSign(String acctId, String userName, String appId, String appSecret, String timestamp) {
        String joined = Stream.of(acctId, userName, appId, appSecret, timestamp).sorted().collect(Collectors.joining());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The gateway secret of an app id {@code <clientId>_<32 base64 chars>}; the second part as it is otherwise. */
    static String gatewaySecret(String appId) {
        int cut = appId.indexOf('_');
        String second = cut < 0 ? appId : appId.substring(cut + 1);
        if (second.length() != 32) {
            return second;
        }
        byte[] decoded = Base64.getDecoder().decode(second);
        byte[] mixed = new byte[decoded.length];
        for (int i = 0; i < decoded.length; i++) {
            mixed[i] = (byte) (decoded[i] ^ GATEWAY_KEY.charAt(i));
        }
        return Base64.getEncoder().encodeToString(mixed);
    }

    /** X-Api-Signature of a POST to {@code path} (the URL path, percent-encoded with '/' as %2F). */
    static String apiSignature(String appId, String path, String timestamp, String nonce) {
        String message = "POST\n" + percentEncode(path) + "\n\nx-api-nonce:" + nonce + "\nx-api-timestamp:" + timestamp + "\n";
        return hmacHexBase64(gatewaySecret(appId), message);
    }

    /** X-Kd-Signature: HMAC-SHA256 with the app secret over the app id followed by the plain app data. */
    static String kdSignature(String appId, String appSecret, String appDataPlain) {
        return hmacHexBase64(appSecret, appId + appDataPlain);
    }

    /** X-Kd-Appdata's plain text: data centre id, user name, lcid and organisation number, comma-separated. */
    static String appData(String acctId, String userName, int lcid, String orgNum) {
        return String.join(",", List.of(acctId, userName, String.valueOf(lcid), orgNum));
    }

    private static String hmacHexBase64(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String hex = HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
            return Base64.getEncoder().encodeToString(hex.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every byte outside A-Z a-z 0-9 - . _ ~ as %XX (as Python's quote with nothing safe). */
    private static String percentEncode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }
}
