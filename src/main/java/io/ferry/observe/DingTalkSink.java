package io.ferry.observe;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A DingTalk custom robot: {@code {"msgtype":"text","text":{"content":…}}}. With a signing secret, each post
 * carries {@code timestamp} (ms) and {@code sign} = Base64(HmacSHA256(secret, timestamp + "\n" + secret)),
 * URL-encoded, as query parameters, as DingTalk documents for robots with "加签" security.
 */
public class DingTalkSink implements AlertSink {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final String secret;

    public DingTalkSink(String url, String secret) {
        this.url = URI.create(url);
        this.secret = secret == null || secret.isBlank() ? null : secret;
    }

    @Override
    public void send(Alert alert) throws IOException, InterruptedException {
        String body = body(alert.text());
        URI target = url;
        if (secret != null) {
            long ts = System.currentTimeMillis();
            String q = "timestamp=" + ts + "&sign=" + URLEncoder.encode(sign(ts, secret), StandardCharsets.UTF_8);
            target = URI.create(url + (url.getRawQuery() == null ? "?" : "&") + q);
        }
        String answer = Webhooks.postJson(target, body);
        // DingTalk answers HTTP 200 with errcode != 0 when it refuses (bad sign, keyword missing, too many calls)
        try {
            Object code = JSON.readValue(answer, Map.class).get("errcode");
            if (code != null && !"0".equals(String.valueOf(code))) {
                throw new IOException("DingTalk refused the alert: " + answer);
            }
        } catch (JsonProcessingException e) {
            // not DingTalk's JSON (a proxy, a test receiver): the HTTP status was fine
        }
    }

    static String body(String content) throws JsonProcessingException {
        return JSON.writeValueAsString(Map.of("msgtype", "text", "text", Map.of("content", content)));
    }

    static String sign(long timestamp, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] h = mac.doFinal((timestamp + "\n" + secret).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(h);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String describe() {
        return "DingTalk robot " + Webhooks.hostOf(url);
    }
}
