package io.ferry.connector.kingdee;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.ferry.kernel.Failure;
import io.ferry.sandbox.KingdeeSimulator;

/**
 * Kingdee's answers (protocols.md §1, docs/connectors/kingdee.md) and what each means: the table BatchSave, the
 * ExecuteBillQuery look-up and the login share.
 */
class KingdeeAnswersTest {

    private static final String JSON = "application/json; charset=utf-8";

    private static String status(boolean ok, int msgCode, String errors, String saved) {
        return "{\"Result\":{\"ResponseStatus\":{" + (ok ? "" : "\"ErrorCode\":500,") + "\"IsSuccess\":" + ok + ",\"Errors\":[" + errors
                + "],\"SuccessEntitys\":[" + saved + "],\"SuccessMessages\":[],\"MsgCode\":" + msgCode + "}}}";
    }

    private static String error(String message, Integer dIndex) {
        return "{\"FieldName\":null,\"Message\":\"" + message + "\"" + (dIndex == null ? "" : ",\"DIndex\":" + dIndex) + "}";
    }

    private static Arguments row(String what, int httpStatus, String contentType, String body, Failure expected) {
        return Arguments.of(what, httpStatus, contentType, body.getBytes(StandardCharsets.UTF_8), expected);
    }

    static Stream<Arguments> answers() {
        String duplicate = status(false, 11, error("违反字段唯一性要求：编码唯一。[S1]在当前系统中已经被使用。", 0), "");
        byte[] whole = duplicate.getBytes(StandardCharsets.UTF_8);
        int at = duplicate.substring(0, duplicate.indexOf('唯')).getBytes(StandardCharsets.UTF_8).length + 1; // inside 唯's 3 bytes
        return Stream.of(
                row("BatchSave saved every row", 200, JSON, status(true, 0, "", "{\"Id\":100001,\"Number\":\"S1\",\"DIndex\":0}"), null),
                row("ExecuteBillQuery rows", 200, JSON, "[[100001]]", null),
                row("a row refused with the deadlock (MsgCode 6) beside a saved row", 200, JSON,
                        status(false, 6, error(KingdeeSimulator.DEADLOCK, 1), "{\"Id\":100001,\"Number\":\"S1\",\"DIndex\":0}"), Failure.TRANSIENT),
                row("ExecuteBillQuery deadlocked (MsgCode 6, 2-D shape)", 200, JSON,
                        "[[" + status(false, 6, error(KingdeeSimulator.DEADLOCK, null), "") + "]]", Failure.TRANSIENT),
                row("a deadlock in English", 200, JSON, status(false, 6, error("Transaction (Process ID 52) was deadlocked on lock resources"
                        + " with another process and has been chosen as the deadlock victim. Rerun the transaction.", null), ""), Failure.TRANSIENT),
                row("a response_error: envelope", 200, "text/plain; charset=utf-8",
                        "response_error:{\"Message\":\"执行超时已过期。\",\"InnerException\":null}", Failure.TRANSIENT),
                row("session lost (MsgCode 1: logged in again)", 200, JSON, status(false, 1, error("会话信息已丢失，请重新登录", 0), ""), Failure.TRANSIENT),
                row("调用限制 (MsgCode 14)", 200, JSON, status(false, 14, error("调用限制：接口调用过于频繁，请稍后再试", 0), ""), Failure.TRANSIENT),
                row("an unknown form (MsgCode 4 业务对象不存在)", 200, JSON, status(false, 4, error("业务对象不存在", null), ""), Failure.CONFIGURATION),
                row("an unknown field (MsgCode 9)", 200, JSON, status(false, 9, error("元数据中标识为FCustomerID的字段不存在", null), ""),
                        Failure.CONFIGURATION),
                row("no permission (MsgCode 2)", 200, JSON, status(false, 2, error("您没有该功能的操作权限", null), ""), Failure.CONFIGURATION),
                row("a required field missing (the row's own reason)", 200, JSON, status(false, 11, error("字段[名称]是必录字段", 0), ""),
                        Failure.REJECTED_ROW),
                row("a credit check refusing a row", 200, JSON, status(false, 11, error("客户[S1]未通过信用检查，不允许保存。", 0), ""),
                        Failure.REJECTED_ROW),
                row("an nginx 502 page", 502, "text/html", KingdeeSimulator.NGINX_502, Failure.TRANSIENT),
                row("an HTML page with status 200", 200, "text/html", KingdeeSimulator.NGINX_502, Failure.TRANSIENT),
                row("IIS 500", 500, "text/html; charset=utf-8", "<html><h2>500 - Internal server error.</h2></html>", Failure.TRANSIENT),
                row("JSON cut off", 200, JSON, "{\"Result\":{\"ResponseStatus\":{\"IsSuc", Failure.TRANSIENT),
                Arguments.of("an answer cut in the middle of a UTF-8 character", 200, JSON, Arrays.copyOf(whole, at), Failure.TRANSIENT),
                row("IIS 404 (a wrong base-url)", 404, "text/html", "<html><h2>404 - File or directory not found.</h2></html>",
                        Failure.CONFIGURATION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void eachAnswerHasItsClass(String what, int httpStatus, String contentType, byte[] body, Failure expected) {
        assertThat(KingdeeClient.classify(httpStatus, contentType, body)).isEqualTo(expected);
    }

    static Stream<Arguments> rowErrors() {
        return Stream.of(
                Arguments.of(KingdeeSimulator.DEADLOCK, Failure.TRANSIENT),
                Arguments.of("ORA-00060: 等待资源时检测到死锁", Failure.TRANSIENT),
                Arguments.of("字段[名称]是必录字段", Failure.REJECTED_ROW),
                Arguments.of("违反字段唯一性要求：编码唯一。[S1]在当前系统中已经被使用。", Failure.REJECTED_ROW));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rowErrors")
    void eachRowErrorHasItsClass(String message, Failure expected) {
        assertThat(KingdeeClient.classifyRowError(message)).isEqualTo(expected);
    }
}
