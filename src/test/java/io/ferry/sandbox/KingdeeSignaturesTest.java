package io.ferry.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The simulator's own signature checks against the check values of protocols.md §1.2 (c) and (d). */
class KingdeeSignaturesTest {

    private static final String APP_ID = "999_" + "A".repeat(32);
    private static final String PATH = "/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.BatchSave.common.kdsvc";

    @Test
    void loginBySign() {
        assertThat(KingdeeSignatures.loginSign("acct", "user", "app", "sec", "1700000000"))
                .isEqualTo("e788f909cfed939e47d671b28f6ad920c632bb64560f16977f80243bfe26eee9");
        assertThat(KingdeeSignatures.loginSign("acct", "user", "app", "sec", "1700000001"))
                .isNotEqualTo("e788f909cfed939e47d671b28f6ad920c632bb64560f16977f80243bfe26eee9");
    }

    @Test
    void gatewaySecretOfAnAppId() {
        assertThat(KingdeeSignatures.gatewaySecret(APP_ID)).isEqualTo("MDA1NGYzOTdjNjIzNDM3OGIwOWNhN2Qz");
        // a second part that is not 32 characters is used as it is (the Java SDK's way)
        assertThat(KingdeeSignatures.gatewaySecret("999_short")).isEqualTo("short");
    }

    @Test
    void apiSignatureOfAPost() {
        assertThat(KingdeeSignatures.apiSignature(APP_ID, PATH, "1700000000", "1700000000"))
                .isEqualTo("NjI5ZjU2MzViZjViNGFjN2Y3ZjQ5MjQ3NGFjMGViMDA3OWRkYTU2NzFiZWEwM2NiYmNlNWNiMDMyYjZkYmY4Yg==");
        assertThat(KingdeeSignatures.apiSignature(APP_ID, PATH.replace("BatchSave", "Save"), "1700000000", "1700000000"))
                .isNotEqualTo("NjI5ZjU2MzViZjViNGFjN2Y3ZjQ5MjQ3NGFjMGViMDA3OWRkYTU2NzFiZWEwM2NiYmNlNWNiMDMyYjZkYmY4Yg==");
    }

    @Test
    void kdSignatureOverTheAppData() {
        String plain = KingdeeSignatures.appData("acct", "user", 2052, "0");
        assertThat(java.util.Base64.getEncoder().encodeToString(plain.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo("YWNjdCx1c2VyLDIwNTIsMA==");
        assertThat(KingdeeSignatures.kdSignature(APP_ID, "appsecret", plain))
                .isEqualTo("OGVhM2U1ZDM4ZDFlNjVmZTc3MTk2Yzg2MDM5MWQwY2VhZTkxYzkzNzM3OWY3ZTc2ZjYyMGY5NmQ0NWIyOWY1MQ==");
    }
}
