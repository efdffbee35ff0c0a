package io.ferry.connector.kingdee;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The per-request X-Api signature against the self-computed check values of protocols.md §1.2 (d). */
class KingdeeApiSignerTest {

    private static final String APP_ID = "999_" + "A".repeat(32);
    private static final String PATH = "/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.BatchSave.common.kdsvc";

    @Test
    void headersOfTheCheckValues() {
        Map<String, String> h = KingdeeApiSigner.headers(APP_ID, "appsecret", "acct", "user", 2052, "0", PATH, "1700000000");
        assertThat(h).containsEntry("X-Api-ClientID", "999")
                .containsEntry("X-Api-Auth-Version", "2.0")
                .containsEntry("x-api-timestamp", "1700000000")
                .containsEntry("x-api-nonce", "1700000000")
                .containsEntry("X-Api-Signature", "NjI5ZjU2MzViZjViNGFjN2Y3ZjQ5MjQ3NGFjMGViMDA3OWRkYTU2NzFiZWEwM2NiYmNlNWNiMDMyYjZkYmY4Yg==")
                .containsEntry("X-Kd-Appkey", APP_ID)
                .containsEntry("X-Kd-Appdata", "YWNjdCx1c2VyLDIwNTIsMA==")
                .containsEntry("X-Kd-Signature", "OGVhM2U1ZDM4ZDFlNjVmZTc3MTk2Yzg2MDM5MWQwY2VhZTkxYzkzNzM3OWY3ZTc2ZjYyMGY5NmQ0NWIyOWY1MQ==");
    }

    @Test
    void theGatewaySecretOfTheCheckAppId() {
        assertThat(KingdeeApiSigner.gatewaySecret(APP_ID)).isEqualTo("MDA1NGYzOTdjNjIzNDM3OGIwOWNhN2Qz");
    }

    @Test
    void anotherPathOrTimeSignsDifferently() {
        String base = KingdeeApiSigner.apiSignature(APP_ID, PATH, "1700000000", "1700000000");
        assertThat(KingdeeApiSigner.apiSignature(APP_ID, PATH.replace("BatchSave", "Save"), "1700000000", "1700000000")).isNotEqualTo(base);
        assertThat(KingdeeApiSigner.apiSignature(APP_ID, PATH, "1700000001", "1700000001")).isNotEqualTo(base);
    }

    @Test
    void theLoginMethodIsReadFromItsPropertyValue() {
        assertThat(KingdeeLoginMethod.parse("api-signature")).isEqualTo(KingdeeLoginMethod.API_SIGNATURE);
        assertThat(KingdeeLoginMethod.API_SIGNATURE.logsIn()).isFalse();
        assertThat(KingdeeLoginMethod.SIGN.logsIn()).isTrue();
    }
}
