package io.ferry.connector.wangdiantong;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.ferry.kernel.Failure;
import io.ferry.connector.wangdiantong.WangdiantongComponent.Style;

/** Wangdiantong's answers in either style (protocols.md §2) and what each means to a source call. */
class WangdiantongAnswersTest {

    private static Arguments row(String what, Style style, int status, String contentType, String body, Failure expected) {
        return Arguments.of(what, style, status, contentType, body.getBytes(StandardCharsets.UTF_8), expected);
    }

    static Stream<Arguments> answers() {
        String page = "{\"status\":0,\"data\":{\"total_count\":1,\"details\":[{\"shop_no\":\"S1\",\"shop_name\":\"旺店\"}]}}";
        byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
        int inName = page.substring(0, page.indexOf('店')).getBytes(StandardCharsets.UTF_8).length + 1;
        String json = "application/json; charset=utf-8";
        return Stream.of(
                row("a direct page", Style.DIRECT, 200, json, page, null),
                row("a Qimen page", Style.QIMEN, 200, json, "{\"response\":{\"status\":0,\"data\":{\"total_count\":0,\"details\":[]}}}", null),
                row("the call limit, status 100", Style.DIRECT, 200, json,
                        "{\"status\":100,\"message\":\"超过每分钟最大调用频率限制，请稍后重试\"}", Failure.TRANSIENT),
                row("the concurrency limit, status 100 via Qimen", Style.QIMEN, 200, json,
                        "{\"response\":{\"status\":100,\"message\":\"超过每分钟最大并发次数限制，请稍后重试\"}}", Failure.TRANSIENT),
                row("a bad sign, status 1", Style.DIRECT, 200, json, "{\"status\":1,\"message\":\"签名错误\"}", Failure.CREDENTIALS),
                row("the Qimen router refusing the app key", Style.QIMEN, 200, json,
                        "{\"response\":{\"flag\":\"failure\",\"code\":\"isv.appkey-not-exists\",\"message\":\"Invalid app Key\"}}", Failure.CREDENTIALS),
                row("the TOP router's error_response", Style.QIMEN, 200, json,
                        "{\"error_response\":{\"code\":25,\"msg\":\"Invalid signature\"}}", Failure.CREDENTIALS),
                // a method the vendor does not know is the route's, not the keys' (status 1 otherwise means the keys)
                row("an unknown method, status 1 方法不存在", Style.DIRECT, 200, json, "{\"status\":1,\"message\":\"方法不存在: goods.Nope.query\"}",
                        Failure.CONFIGURATION),
                row("an unknown method via the Qimen router", Style.QIMEN, 200, json,
                        "{\"response\":{\"flag\":\"failure\",\"code\":\"22\",\"message\":\"Invalid method\",\"sub_code\":\"isv.invalid-method:wdt.nope\"}}",
                        Failure.CONFIGURATION),
                row("a timestamp refused, status 7", Style.DIRECT, 200, json, "{\"status\":7,\"message\":\"时间戳过期\"}", Failure.CONFIGURATION),
                row("JSON without the Qimen envelope", Style.QIMEN, 200, json, "{\"status\":0}", Failure.CONFIGURATION),
                row("an nginx 502 page", Style.DIRECT, 502, "text/html", "<html><center><h1>502 Bad Gateway</h1></center></html>", Failure.TRANSIENT),
                row("an HTML page with status 200", Style.QIMEN, 200, "text/html; charset=utf-8", "<html><body><h1>系统维护中</h1></body></html>",
                        Failure.TRANSIENT),
                row("JSON cut off", Style.DIRECT, 200, json, "{\"status\":0,\"data\":{\"details\":[{\"sho", Failure.TRANSIENT),
                Arguments.of("a page cut in a UTF-8 character", Style.DIRECT, 200, json, Arrays.copyOf(bytes, inName), Failure.TRANSIENT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void eachAnswerHasItsClass(String what, Style style, int status, String contentType, byte[] body, Failure expected) {
        assertThat(WangdiantongClient.classify(style, status, contentType, body)).isEqualTo(expected);
    }
}
