package io.ferry.connector.kingdee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KingdeeSignerTest {

    @Test
    void signsTheSortedFiveStringsWithSha256() {
        // check value from protocols.md §1.2(c): sorted ["1700000000","acct","app","sec","user"]
        assertThat(KingdeeSigner.loginSign("acct", "user", "app", "sec", "1700000000"))
                .isEqualTo("e788f909cfed939e47d671b28f6ad920c632bb64560f16977f80243bfe26eee9");
    }

    @Test
    void theOrderOfTheArgumentsDoesNotMatter() {
        assertThat(KingdeeSigner.loginSign("sec", "app", "user", "acct", "1700000000"))
                .isEqualTo(KingdeeSigner.loginSign("acct", "user", "app", "sec", "1700000000"));
    }

    @Test
    void loginMethodsAreReadFromTheirPropertyValues() {
        assertThat(KingdeeLoginMethod.parse("sign")).isEqualTo(KingdeeLoginMethod.SIGN);
        assertThat(KingdeeLoginMethod.parse("app-secret").service()).isEqualTo("LoginByAppSecret");
        assertThat(KingdeeLoginMethod.parse("PASSWORD").service()).isEqualTo("ValidateUser");
        assertThatThrownBy(() -> KingdeeLoginMethod.parse("token")).hasMessageContaining("login-method");
    }

    @Test
    void theSessionIdIsMaskedInLoggedAnswers() {
        assertThat(KingdeeClient.maskSession("{\"KDSVCSessionId\":\"abc\",\"Message\":null}"))
                .isEqualTo("{\"KDSVCSessionId\":\"***\",\"Message\":null}");
    }
}
