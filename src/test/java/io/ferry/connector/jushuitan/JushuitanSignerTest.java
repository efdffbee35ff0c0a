package io.ferry.connector.jushuitan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JushuitanSignerTest {

    @Test
    void matchesTheVectorInProtocolsMd() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("timestamp", "100");
        p.put("app_key", "app");
        p.put("charset", "utf-8");
        assertThat(JushuitanSigner.sign("secret", p)).isEqualTo("706427ca94e342781ac36d501151cb10");
    }

    @Test
    void leavesOutSignAndEmptyValues() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("timestamp", "100");
        p.put("app_key", "app");
        p.put("charset", "utf-8");
        p.put("sign", "whatever");
        p.put("access_token", "");
        assertThat(JushuitanSigner.sign("secret", p)).isEqualTo("706427ca94e342781ac36d501151cb10");
    }
}
