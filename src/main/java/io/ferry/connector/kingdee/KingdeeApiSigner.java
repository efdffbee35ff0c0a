package io.ferry.connector.kingdee;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The newer SDKs' per-request signature (protocols.md §1.2 (d)): no login call, every request carries the
 * X-Api-* headers (an HMAC-SHA256 of the method, the encoded path, nonce and timestamp, keyed with the gateway
 * secret derived from the app id) and the X-Kd-* headers (the app id, the base64 data centre / user / lcid /
 * organisation, and an HMAC-SHA256 of app id + that data keyed with the app secret). Timestamps are unix seconds, as
 * the Python SDK sends them (the Java SDK sends milliseconds; a real server was seen not to check either).
 */
public final class KingdeeApiSigner {

    /** XORed with the second part of the app id to get the gateway secret (the SDKs' constant). */
    private static final byte[] GATEWAY_KEY = "0054f397c6234378b09ca7d3e5debce7".getBytes(StandardCharsets.US_ASCII);

    private KingdeeApiSigner() {
    }

    /** The headers of one POST to {@code path} (the URL's path, e.g. /K3Cloud/Kingdee.BOS…BatchSave.common.kdsvc). */
    public static Map<String, String> headers(String appId, String appSecret, String acctId, String userName, int lcid, String orgNum,
            String path, String timestamp) {
        String clientId = appId.contains("_") ? appId.substring(0, appId.indexOf('_')) : appId;
        String appData = acctId + "," + userName + "," + lcid + "," + orgNum;
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-Api-ClientID", clientId);
        h.put("X-Api-Auth-Version", "2.0");
        h.put("x-api-timestamp", timestamp);
        h.put("x-api-nonce", timestamp);
        h.put("x-api-signheaders", "x-api-timestamp,x-api-nonce");
        h.put("X-Api-Signature", apiSignature(appId, path, timestamp, timestamp));
        h.put("X-Kd-Appkey", appId);
        h.put("X-Kd-Appdata", Base64.getEncoder().encodeToString(appData.getBytes(StandardCharsets.UTF_8)));
        h.put("X-Kd-Signature", signHex(appSecret, appId + appData));
        return h;
    }

    /** The gateway secret: base64 of the decoded second part of {@code <clientId>_<32 chars>} XOR the SDK key. */
    static String gatewaySecret(String appId) {
        String[] parts = appId.split("_", 2);
        String second = parts.length == 2 ? parts[1] : appId;
        if (second.length() != 32) {
            // the Java SDK's way with an app id of another shape
            return second;
        }
        byte[] bytes = Base64.getDecoder().decode(second);
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] ^= GATEWAY_KEY[i];
        }
        return Base64.getEncoder().encodeToString(bytes);
    }

    static String apiSignature(String appId, String path, String timestamp, String nonce) {
        String encoded = URLEncoder.encode(path, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
        return signHex(gatewaySecret(appId), "POST\n" + encoded + "\n\nx-api-nonce:" + nonce + "\nx-api-timestamp:" + timestamp + "\n");
    }

    /** base64 of the lowercase hex of HMAC-SHA256 (the SDKs encode the hex text, not the raw bytes). */
    static String signHex(String key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] hex = HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.US_ASCII);
            return Base64.getEncoder().encodeToString(hex);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
