package io.ferry.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


/** The Kingdee simulator on the wire, in the encodings the public clients use (protocols.md §1). */
class KingdeeSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUTH = "Kingdee.BOS.WebApi.ServicesStub.AuthService.";
    private static final String FORM = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.";

    private final HttpClient http = HttpClient.newHttpClient();
    private KingdeeSimulator sim;
    private String session;

    @BeforeEach
    void start() throws Exception {
        sim = new KingdeeSimulator("acct", "user", "pwd", "app", "sec");
        sim.start();
        session = login();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private HttpResponse<String> post(String service, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + service + ".common.kdsvc"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Object call(String service, Object body) throws Exception {
        HttpResponse<String> r = post(service, JSON.writeValueAsString(body), "Cookie", "kdservice-sessionid=" + session);
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readValue(r.body(), Object.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(Object answer) {
        Object top = answer instanceof List<?> l ? ((List<?>) l.get(0)).get(0) : answer;
        return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) top).get("Result")).get("ResponseStatus");
    }

    private String login() throws Exception {
        String sign = KingdeeSignatures.loginSign("acct", "user", "app", "sec", "1700000000");
        HttpResponse<String> r = post(AUTH + "LoginBySign", JSON.writeValueAsString(Map.of("parameters", List.of("acct", "user", "app", "1700000000", sign, 2052))));
        Map<?, ?> body = JSON.readValue(r.body(), Map.class);
        assertThat(body.get("LoginResultType")).isEqualTo(1);
        assertThat(r.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("kdservice-sessionid=" + body.get("KDSVCSessionId")))
                .anyMatch(c -> c.startsWith("ASP.NET_SessionId="));
        return (String) body.get("KDSVCSessionId");
    }

    private static Map<String, Object> customer(String number, String name) {
        return new java.util.LinkedHashMap<>(Map.of("FCUSTID", 0, "FNumber", number, "FName", name,
                "FCreateOrgId", Map.of("FNumber", "100"), "FUseOrgId", Map.of("FNumber", "100")));
    }

    @Test
    void loginsCheckTheirCredentials() throws Exception {
        Map<?, ?> wrongPassword = JSON.readValue(post(AUTH + "ValidateUser",
                "{\"acctID\":\"acct\",\"username\":\"user\",\"password\":\"nope\",\"lcid\":2052}").body(), Map.class);
        assertThat(wrongPassword.get("LoginResultType")).isEqualTo(0);
        Map<?, ?> rightPassword = JSON.readValue(post(AUTH + "ValidateUser",
                "{\"parameters\":[\"acct\",\"user\",\"pwd\",2052]}").body(), Map.class);
        assertThat(rightPassword.get("LoginResultType")).isEqualTo(1);
        Map<?, ?> appSecret = JSON.readValue(post(AUTH + "LoginByAppSecret",
                "{\"parameters\":[\"acct\",\"user\",\"app\",\"sec\",2052]}").body(), Map.class);
        assertThat(appSecret.get("LoginResultType")).isEqualTo(1);
        Map<?, ?> badSign = JSON.readValue(post(AUTH + "LoginBySign",
                "{\"parameters\":[\"acct\",\"user\",\"app\",\"1700000000\",\"" + "0".repeat(64) + "\",2052]}").body(), Map.class);
        assertThat(badSign.get("LoginResultType")).isEqualTo(-1);
        assertThat(badSign.get("KDSVCSessionId")).isNull();
        assertThat(sim.failedLogins()).isEqualTo(2);
    }

    @Test
    void batchSaveInBothEncodingsWithPartialSuccess() throws Exception {
        sim.preSave("C-DUP", "已有客户");
        // Java SDK: positional, data as a JSON string
        String data = JSON.writeValueAsString(Map.of("IsAutoSubmitAndAudit", "true",
                "Model", List.of(customer("C-1", "客户1"), customer("C-DUP", "重复"), customer("C-2", ""))));
        Object positional = call(FORM + "BatchSave", Map.of("parameters", List.of("BD_Customer", data)));
        Map<String, Object> s = status(positional);
        assertThat(s).containsEntry("IsSuccess", false).containsEntry("MsgCode", 11).containsEntry("ErrorCode", 500);
        assertThat(s.get("SuccessEntitys")).isEqualTo(List.of(Map.of("Id", ((Number) sim.customer("C-1").get("FCUSTID")).intValue(),
                "Number", "C-1", "DIndex", 0)));
        assertThat(s.get("Errors")).isEqualTo(List.of(
                Map.of("FieldName", "FNumber", "Message", "违反字段唯一性要求：编码唯一。[C-DUP]在当前系统中已经被使用。", "DIndex", 1),
                Map.of("FieldName", "FName", "Message", "字段[名称]是必录字段", "DIndex", 2)));
        assertThat(sim.customer("C-1")).containsEntry("FDocumentStatus", "C");

        // node / Python clients: named, formId in any case, data as an object
        for (String key : new String[] { "formid", "formId", "FormId" }) {
            Object named = call(FORM + "BatchSave", Map.of(key, "BD_Customer", "data", Map.of("Model", List.of(customer("N-" + key, "客户")))));
            assertThat(status(named)).containsEntry("IsSuccess", true).containsEntry("MsgCode", 0);
        }
        // one client writes DynamicFormservice
        Object lower = call("Kingdee.BOS.WebApi.ServicesStub.DynamicFormservice.Save", Map.of("formid", "BD_Customer",
                "data", Map.of("Model", customer("L-1", "客户L"))));
        assertThat(((Map<?, ?>) ((Map<?, ?>) lower).get("Result")).get("Number")).isEqualTo("L-1");
        assertThat(sim.customers()).containsKeys("C-1", "C-DUP", "N-formid", "N-formId", "N-FormId", "L-1").hasSize(6);
        assertThat(sim.batchSaveCalls()).isEqualTo(4);
    }

    @Test
    void updatesByInnerIdTouchOnlyNeedUpDateFields() throws Exception {
        long id = sim.preSave("U-1", "旧名");
        Map<String, Object> row = customer("U-1", "新名");
        row.put("FCUSTID", id);
        row.put("FDescription", "不应写入");
        Object answer = call(FORM + "BatchSave", Map.of("formid", "BD_Customer",
                "data", Map.of("NeedUpDateFields", List.of("FName"), "Model", List.of(row))));
        assertThat(status(answer)).containsEntry("IsSuccess", true);
        assertThat(sim.customer("U-1")).containsEntry("FName", "新名").doesNotContainKey("FDescription");
        assertThat(sim.customersUpdated()).isEqualTo(1);

        row.put("FCUSTID", 999_999);
        Object missing = call(FORM + "BatchSave", Map.of("formid", "BD_Customer", "data", Map.of("Model", List.of(row))));
        assertThat(status(missing)).containsEntry("IsSuccess", false);
    }

    @Test
    void executeBillQueryFiltersAsTextOrArray() throws Exception {
        long a = sim.preSave("Q-1", "甲");
        sim.preSave("Q-2", "乙");
        sim.preSave("O'Brien", "丙");
        Object text = call(FORM + "ExecuteBillQuery", Map.of("data", Map.of("FormId", "BD_Customer", "FieldKeys", "FCUSTID,FNumber,FName",
                "FilterString", "FNumber='Q-1'")));
        assertThat(text).isEqualTo(List.of(List.of((int) a, "Q-1", "甲")));
        Object quoted = call(FORM + "ExecuteBillQuery", Map.of("parameters", List.of(JSON.writeValueAsString(Map.of("FormId", "BD_Customer",
                "FieldKeys", "FNumber", "FilterString", "FNumber = 'O''Brien'")))));
        assertThat(quoted).isEqualTo(List.of(List.of("O'Brien")));
        Object in = call(FORM + "ExecuteBillQuery", Map.of("data", Map.of("FormId", "BD_Customer", "FieldKeys", "FNumber",
                "FilterString", "FNumber in ('Q-1','Q-2')", "OrderString", "FNumber")));
        assertThat(in).isEqualTo(List.of(List.of("Q-1"), List.of("Q-2")));
        Object array = call(FORM + "ExecuteBillQuery", Map.of("data", Map.of("FormId", "BD_Customer", "FieldKeys", "FNumber,FCreateOrgId.FNumber",
                "FilterString", List.of(Map.of("Left", "", "FieldName", "FNumber", "Compare", "67", "Value", "Q-2", "Right", "", "Logic", 0)))));
        assertThat(array).isEqualTo(List.of(java.util.Arrays.asList("Q-2", null)));
        Object unknown = call(FORM + "ExecuteBillQuery", Map.of("data", Map.of("FormId", "BD_Customer", "FieldKeys", "FNoSuch")));
        assertThat(status(unknown)).containsEntry("MsgCode", 9).containsEntry("IsSuccess", false);
        Object paged = call(FORM + "ExecuteBillQuery", Map.of("data", Map.of("FormId", "BD_Customer", "FieldKeys", "FNumber", "StartRow", 1, "Limit", 1)));
        assertThat(paged).isEqualTo(List.of(List.of("Q-2")));
    }

    @Test
    void viewByNumberOrId() throws Exception {
        long id = sim.preSave("V-1", "查看");
        Map<?, ?> byNumber = (Map<?, ?>) ((Map<?, ?>) call(FORM + "View", Map.of("formid", "BD_Customer", "data", Map.of("Number", "V-1")))).get("Result");
        assertThat(byNumber.get("ResponseStatus")).isNull();
        assertThat(((Map<?, ?>) byNumber.get("Result")).get("Id")).isEqualTo((int) id);
        assertThat(((Map<?, ?>) byNumber.get("Result")).get("Name")).isEqualTo(List.of(Map.of("Key", 2052, "Value", "查看")));
        Object byId = call(FORM + "View", Map.of("parameters", List.of("BD_Customer", "{\"Id\":\"" + id + "\"}")));
        assertThat(((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) byId).get("Result")).get("Result")).get("Number")).isEqualTo("V-1");
    }

    @Test
    void sessionsAreReadFromCookieOrHeadersAndExpire() throws Exception {
        String body = "{\"data\":{\"FormId\":\"BD_Customer\",\"FieldKeys\":\"FNumber\"}}";
        assertThat(post(FORM + "ExecuteBillQuery", body, "kdservice-sessionid", session).body()).isEqualTo("[]");
        assertThat(post(FORM + "ExecuteBillQuery", body, "SID", session).body()).isEqualTo("[]");
        Object none = JSON.readValue(post(FORM + "ExecuteBillQuery", body).body(), Object.class);
        assertThat(status(none)).containsEntry("MsgCode", 1).containsEntry("IsSuccess", false).containsEntry("ErrorCode", 500);
        assertThat(((Map<?, ?>) ((List<?>) status(none).get("Errors")).get(0)).get("Message")).isEqualTo("会话信息已丢失，请重新登录");

        sim.idleTimeout(Duration.ofMillis(150));
        Thread.sleep(300);
        Object expired = call(FORM + "BatchSave", Map.of("formid", "BD_Customer", "data", Map.of("Model", List.of(customer("E-1", "过期")))));
        assertThat(status(expired)).containsEntry("MsgCode", 1);
        assertThat(sim.customers()).isEmpty();
        assertThat(sim.sessionLostAnswers()).isEqualTo(2);
    }

    @Test
    void malformedRequestsGetAResponseError() throws Exception {
        HttpResponse<String> notJson = post(FORM + "BatchSave", "not json", "Cookie", "kdservice-sessionid=" + session);
        assertThat(notJson.body()).startsWith("response_error:");
        HttpResponse<String> noModel = post(FORM + "BatchSave", "{\"formid\":\"BD_Customer\",\"data\":{}}", "Cookie", "kdservice-sessionid=" + session);
        assertThat(noModel.body()).startsWith("response_error:").contains("Model");
        Object unknownForm = call(FORM + "BatchSave", Map.of("formid", "BD_Nope", "data", Map.of("Model", List.of(customer("X", "X")))));
        assertThat(status(unknownForm)).containsEntry("MsgCode", 4).containsEntry("IsSuccess", false);
        @SuppressWarnings("unchecked")
        Map<String, Object> formError = (Map<String, Object>) ((List<?>) status(unknownForm).get("Errors")).get(0);
        // the text a real server answers (protocols.md §1.5), at DIndex 0 as the form template writes it
        assertThat(formError.get("Message")).isEqualTo("标识为“BD_Nope”的业务对象不存在，或者被删除");
        assertThat(formError).containsEntry("DIndex", 0);
        assertThat(sim.customers()).isEmpty();
    }

    @Test
    void aFieldKeyTheFormDoesNotHaveRefusesTheWholeRequest() throws Exception {
        Map<String, Object> wrong = customer("W-2", "错字段");
        wrong.put("FCustomerName", "错字段");
        Object answer = call(FORM + "BatchSave", Map.of("formid", "BD_Customer",
                "data", Map.of("Model", List.of(customer("W-1", "好的"), wrong))));
        Map<String, Object> s = status(answer);
        assertThat(s).containsEntry("IsSuccess", false).containsEntry("MsgCode", 9).containsEntry("SuccessEntitys", List.of());
        // a request-wide error: it names the field and no row
        assertThat(s.get("Errors")).isEqualTo(List.of(Map.of("FieldName", "FCustomerName", "Message", "元数据中标识为FCustomerName的字段不存在")));
        assertThat(sim.customers()).isEmpty();

        long id = sim.preSave("W-3", "旧名");
        Map<String, Object> update = customer("W-3", "新名");
        update.put("FCUSTID", id);
        Object badUpdate = call(FORM + "BatchSave", Map.of("formid", "BD_Customer",
                "data", Map.of("NeedUpDateFields", List.of("FNmae"), "Model", List.of(update))));
        assertThat(status(badUpdate)).containsEntry("MsgCode", 9);
        assertThat(sim.customer("W-3")).containsEntry("FName", "旧名");
    }

    @Test
    void hooksForLatencyAndServerErrors() throws Exception {
        sim.batchSaveLatency(Duration.ofMillis(300));
        long t0 = System.nanoTime();
        call(FORM + "BatchSave", Map.of("formid", "BD_Customer", "data", Map.of("Model", List.of(customer("T-1", "慢")))));
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(300);
        sim.failNextCalls(2);
        assertThat(post(AUTH + "LoginBySign", "{}").statusCode()).isEqualTo(500);
        assertThat(post(FORM + "View", "{}").statusCode()).isEqualTo(500);
        assertThat(post(FORM + "View", "{\"formid\":\"BD_Customer\",\"data\":{\"Number\":\"T-1\"}}", "Cookie", "kdservice-sessionid=" + session)
                .statusCode()).isEqualTo(200);
        assertThat(sim.serverErrors()).isEqualTo(2);
    }
}
