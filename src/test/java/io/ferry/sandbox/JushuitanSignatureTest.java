package io.ferry.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The simulator's own Jushuitan signature against the vector of protocols.md §3.1. */
class JushuitanSignatureTest {

    private static final String VECTOR = "706427ca94e342781ac36d501151cb10";

    private static Map<String, String> vectorParams() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("timestamp", "100");
        p.put("app_key", "app");
        p.put("charset", "utf-8");
        return p;
    }

    @Test
    void matchesThePublishedVector() {
        assertThat(JushuitanSignature.expected("secret", vectorParams())).isEqualTo(VECTOR);
    }

    @Test
    void signAndEmptyValuesAreNotSigned() {
        Map<String, String> p = vectorParams();
        p.put("sign", "anything");
        p.put("access_token", "");
        assertThat(JushuitanSignature.expected("secret", p)).isEqualTo(VECTOR);
    }

    @Test
    void verifiesTheRightSignOnly() {
        Map<String, String> p = vectorParams();
        assertThat(JushuitanSignature.verify("secret", p)).as("no sign at all").isFalse();
        p.put("sign", VECTOR);
        assertThat(JushuitanSignature.verify("secret", p)).isTrue();
        assertThat(JushuitanSignature.verify("other", p)).as("another secret").isFalse();
        p.put("sign", VECTOR.toUpperCase());
        assertThat(JushuitanSignature.verify("secret", p)).as("the vendor's sign is lowercase hex").isFalse();
        p.put("sign", VECTOR);
        p.put("timestamp", "101");
        assertThat(JushuitanSignature.verify("secret", p)).as("a parameter changed after signing").isFalse();
    }

    @Test
    void theSecretIsAPrefixOnlyAndTheBizIsSignedAsItsText() {
        Map<String, String> p = vectorParams();
        String wrapped = Md5.hex("secretapp_keyappcharsetutf-8timestamp100secret");
        p.put("sign", wrapped);
        assertThat(JushuitanSignature.verify("secret", p)).as("secret + pairs + secret is Wangdiantong's rule").isFalse();

        p.remove("sign");
        p.put("biz", "{\"page_index\":1,\"page_size\":100}");
        assertThat(JushuitanSignature.expected("secret", p)).isEqualTo(Md5.hex(
                "secretapp_keyappbiz{\"page_index\":1,\"page_size\":100}charsetutf-8timestamp100"));
    }
}
