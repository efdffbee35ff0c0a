package io.ferry.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.ferry.http.ApiHttp;
import io.ferry.http.ApiHttp.Caller;

/** The rules every vendor shares: what an HTTP answer, and an exception that ended a call, mean. */
class FailureTest {

    static final String NGINX_502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
            + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.20.1</center>\r\n</body>\r\n</html>\r\n";

    /** A JSON answer cut after the first byte of 店 (E5 BA 97). */
    static byte[] cutInACharacter() {
        byte[] whole = "{\"code\":0,\"msg\":\"店".getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(whole, whole.length - 2);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("a complete JSON answer", 200, "application/json", utf8("{\"code\":0}"), null),
                Arguments.of("an nginx 502 page", 502, "text/html", utf8(NGINX_502), Failure.TRANSIENT),
                Arguments.of("HTTP 500 with an IIS page", 500, "text/html", utf8("<html><h2>500 - Internal server error.</h2></html>"), Failure.TRANSIENT),
                Arguments.of("HTTP 503 without a body", 503, "", new byte[0], Failure.TRANSIENT),
                Arguments.of("an HTML page with status 200", 200, "text/html; charset=utf-8", utf8("<html><body>系统维护中</body></html>"), Failure.TRANSIENT),
                Arguments.of("an HTML page labelled JSON", 200, "application/json", utf8(NGINX_502), Failure.TRANSIENT),
                Arguments.of("an empty 200", 200, "application/json", new byte[0], Failure.TRANSIENT),
                Arguments.of("JSON cut off", 200, "application/json", utf8("{\"code\":0,\"data\":{\"datas\":[{\"trunc"), Failure.TRANSIENT),
                Arguments.of("JSON cut in a UTF-8 character", 200, "application/json", cutInACharacter(), Failure.TRANSIENT),
                Arguments.of("HTTP 429", 429, "application/json", utf8("{}"), Failure.TRANSIENT),
                Arguments.of("HTTP 408", 408, "text/plain", utf8("timeout"), Failure.TRANSIENT),
                Arguments.of("HTTP 401", 401, "application/json", utf8("{}"), Failure.CREDENTIALS),
                Arguments.of("HTTP 403", 403, "text/html", utf8("<html>forbidden</html>"), Failure.CREDENTIALS),
                Arguments.of("HTTP 404", 404, "text/html", utf8("<html>404</html>"), Failure.CONFIGURATION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void anAnswerIsClassifiedByWhatItIs(String what, int status, String contentType, byte[] body, Failure expected) {
        assertThat(Failure.ofAnswer(status, contentType, body)).isEqualTo(expected);
    }

    @Test
    void anExceptionIsClassifiedByWhatItIsWhereverItWasThrown() {
        assertThat(Failure.of(new RuntimeException("camel", new java.net.SocketException("Connection reset")))).isEqualTo(Failure.TRANSIENT);
        assertThat(Failure.of(new UnreadableAnswerException("cut", "{"))).isEqualTo(Failure.TRANSIENT);
        assertThat(Failure.of(new TargetConfigurationException("业务对象不存在"))).isEqualTo(Failure.CONFIGURATION);
        assertThat(Failure.of(new IllegalArgumentException("a bad row"))).isEqualTo(Failure.REJECTED_ROW);
    }

    /** A server that answers each connection with {@code answer}, then closes it (with a reset when {@code reset}). */
    private static ServerSocket serve(byte[] answer, boolean reset) throws IOException {
        ServerSocket server = new ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[8192]);
                    OutputStream out = s.getOutputStream();
                    out.write(answer);
                    out.flush();
                    if (reset) {
                        s.setSoLinger(true, 0); // RST instead of FIN
                    }
                } catch (IOException e) {
                    // closed
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    private static Throwable post(ServerSocket server) {
        try (ApiHttp http = new ApiHttp("test", Duration.ofSeconds(2), Duration.ofSeconds(2))) {
            return catchThrowable(() -> http.post(Caller.NONE, "pull", URI.create("http://127.0.0.1:" + server.getLocalPort() + "/x"),
                    "application/json", "{}", "{}", Map.of()));
        }
    }

    @Test
    void aConnectionResetIsTransient() throws Exception {
        try (ServerSocket server = serve(new byte[0], true)) {
            Throwable error = post(server);
            assertThat(error).isInstanceOf(TransientException.class);
            assertThat(Failure.of(error)).isEqualTo(Failure.TRANSIENT);
        }
    }

    @Test
    void anAnswerCutInACharacterIsTransientAndKeepsWhatCame() throws Exception {
        byte[] body = cutInACharacter();
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] answer = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, answer, head.length, body.length);
        try (ServerSocket server = serve(answer, false)) {
            Throwable error = post(server);
            assertThat(error).isInstanceOf(UnreadableAnswerException.class).hasMessageContaining("cut in a character");
            assertThat(((SourceException) error).getRawPage()).startsWith("{\"code\":0,\"msg\":\"");
            assertThat(Failure.of(error)).isEqualTo(Failure.TRANSIENT);
        }
    }
}
