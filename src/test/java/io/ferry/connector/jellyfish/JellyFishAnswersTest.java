package io.ferry.connector.jellyfish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.ferry.kernel.Failure;

/** What system A's pull answers and system B's push replies mean (protocols.md §4). */
class JellyFishAnswersTest {

    private static final String JSON = "application/json";
    private static final String NGINX_502 = "<html><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></html>";

    private static Arguments row(String what, int status, String contentType, String body, Failure expected) {
        return Arguments.of(what, status, contentType, body, expected);
    }

    private static Arguments pull(String what, int status, String contentType, String body, Failure expected) {
        return Arguments.of(what, status, contentType, body.getBytes(StandardCharsets.UTF_8), expected);
    }

    static Stream<Arguments> pullAnswers() {
        String page = "{\"code\":\"0\",\"data\":[{\"id\":1,\"name\":\"水母\"}]}";
        byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
        int inName = page.substring(0, page.indexOf('母')).getBytes(StandardCharsets.UTF_8).length + 1;
        return Stream.of(
                pull("a page", 200, JSON, page, null),
                pull("code as the number 0", 200, JSON, "{\"code\":0,\"data\":[]}", null),
                pull("another code", 200, JSON, "{\"code\":\"1\",\"msg\":\"producerKey不存在\"}", Failure.CONFIGURATION),
                pull("busy, try again later", 200, JSON, "{\"code\":\"1\",\"msg\":\"系统繁忙，请稍后重试\"}", Failure.TRANSIENT),
                pull("an nginx 502 page", 502, "text/html", NGINX_502, Failure.TRANSIENT),
                pull("an HTML page with status 200", 200, "text/html", "<html><body>请登录</body></html>", Failure.TRANSIENT),
                pull("JSON cut off", 200, JSON, "{\"code\":\"0\",\"data\":[{\"id\":1,", Failure.TRANSIENT),
                Arguments.of("a page cut in a UTF-8 character", 200, JSON, Arrays.copyOf(bytes, inName), Failure.TRANSIENT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pullAnswers")
    void eachPullAnswerHasItsClass(String what, int status, String contentType, byte[] body, Failure expected) {
        assertThat(JellyFishPullCall.classify(status, contentType, body)).isEqualTo(expected);
    }

    static Stream<Arguments> pushReplies() {
        return Stream.of(
                row("taken", 200, JSON, "{\"code\":\"0\"}", null),
                row("refused, code 1", 200, JSON, "{\"code\":\"1\",\"msg\":\"记录7校验失败\"}", Failure.REJECTED_ROW),
                row("a numeric 0 (not the contract's string)", 200, JSON, "{\"code\":0}", Failure.REJECTED_ROW),
                row("JSON without a code", 200, JSON, "{\"msg\":\"ok\"}", Failure.REJECTED_ROW),
                row("HTTP 500", 500, "text/html", "<html>500</html>", Failure.TRANSIENT),
                row("an nginx 502 page", 502, "text/html", NGINX_502, Failure.TRANSIENT),
                row("HTTP 429", 429, JSON, "{}", Failure.TRANSIENT),
                row("an HTML page with status 200", 200, "text/html", NGINX_502, Failure.TRANSIENT),
                row("an empty 200", 200, JSON, "", Failure.TRANSIENT),
                row("a reply cut off", 200, JSON, "{\"code\":", Failure.TRANSIENT),
                row("HTTP 404 (a wrong url)", 404, "text/html", "<html>Not Found</html>", Failure.CONFIGURATION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pushReplies")
    void eachPushReplyHasItsClass(String what, int status, String contentType, String body, Failure expected) {
        assertThat(JellyFishPushProducer.classify(status, contentType, body)).isEqualTo(expected);
    }
}
