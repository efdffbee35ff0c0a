package io.ferry.connector.jushuitan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.ferry.kernel.Failure;

/** Jushuitan's answers (protocols.md §3) and what each means to a source call. */
class JushuitanAnswersTest {

    private static Arguments row(String what, int status, String contentType, String body, Failure expected) {
        return Arguments.of(what, status, contentType, body.getBytes(StandardCharsets.UTF_8), expected);
    }

    static Stream<Arguments> answers() {
        String page = "{\"code\":0,\"msg\":null,\"data\":{\"has_next\":true,\"datas\":[{\"shop_id\":1,\"shop_name\":\"聚水潭店\"}]}}";
        byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
        int inShopName = page.substring(0, page.indexOf('店')).getBytes(StandardCharsets.UTF_8).length + 2;
        return Stream.of(
                row("a page", 200, "application/json", page, null),
                row("the rate limit, code 199", 200, "application/json", "{\"code\":199,\"msg\":\"调用频率超限\"}", Failure.TRANSIENT),
                row("the rate limit, code 200", 200, "application/json", "{\"code\":200,\"msg\":\"调用次数超限\"}", Failure.TRANSIENT),
                row("a bad signature, code 100", 200, "application/json", "{\"code\":100,\"msg\":\"签名错误\"}", Failure.CREDENTIALS),
                row("an expired token, code 101", 200, "application/json", "{\"code\":101,\"msg\":\"access_token已过期\"}", Failure.CREDENTIALS),
                row("the server busy, try again later", 200, "application/json", "{\"code\":500,\"msg\":\"系统繁忙，请稍后重试\"}", Failure.TRANSIENT),
                row("a business error", 200, "application/json", "{\"code\":120,\"msg\":\"参数错误\"}", Failure.CONFIGURATION),
                row("an nginx 502 page", 502, "text/html", "<html><center><h1>502 Bad Gateway</h1></center></html>", Failure.TRANSIENT),
                row("HTTP 500", 500, "text/plain", "Internal Server Error", Failure.TRANSIENT),
                row("an HTML page with status 200", 200, "text/html; charset=utf-8", "<html><body><h1>系统维护中</h1></body></html>", Failure.TRANSIENT),
                row("JSON cut off", 200, "application/json", "{\"code\":0,\"data\":{\"datas\":[{\"trunc", Failure.TRANSIENT),
                Arguments.of("a page cut in a UTF-8 character", 200, "application/json", Arrays.copyOf(bytes, inShopName), Failure.TRANSIENT),
                row("HTTP 404 (a wrong base-url)", 404, "text/html", "<html>Not Found</html>", Failure.CONFIGURATION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void eachAnswerHasItsClass(String what, int status, String contentType, byte[] body, Failure expected) {
        assertThat(JushuitanClient.classify(status, contentType, body)).isEqualTo(expected);
    }
}
