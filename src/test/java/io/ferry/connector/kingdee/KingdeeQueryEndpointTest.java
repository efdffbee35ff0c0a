package io.ferry.connector.kingdee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ferry.kernel.ConfigurationException;
import io.ferry.kernel.Failure;
import io.ferry.kernel.source.PagingStyle;

/** kingdee:query's options: the endpoint chosen by the URI, the window written into FilterString, the query's errors. */
class KingdeeQueryEndpointTest {

    private DefaultCamelContext camel;

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
        camel.addComponent("kingdee", new KingdeeComponent());
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    private KingdeeQueryEndpoint query(String options) {
        return (KingdeeQueryEndpoint) camel.getEndpoint("kingdee:query?formId=BD_Customer&fieldKeys=FCUSTID,FNumber" + options);
    }

    @Test
    void theFirstPartOfTheUriChoosesTheEndpoint() {
        assertThat(camel.getEndpoint("kingdee:batchSave?formId=BD_MATERIAL")).isInstanceOf(KingdeeSaveEndpoint.class);
        assertThat(camel.getEndpoint("kingdee:save?formId=BD_MATERIAL")).isInstanceOf(KingdeeSaveEndpoint.class);
        KingdeeQueryEndpoint q = query("");
        assertThat(q.spec().paging()).isEqualTo(PagingStyle.OFFSET);
        assertThat(q.spec().pageSize()).isEqualTo(500);
        assertThatThrownBy(() -> query("&pageSize=10001")).hasMessageContaining("10000");
        assertThatThrownBy(() -> camel.getEndpoint("kingdee:delete?formId=BD_Customer")).hasMessageContaining("unknown operation 'delete'");
        assertThatThrownBy(() -> camel.getEndpoint("kingdee:query?formId=BD_Customer")).hasMessageContaining("fieldKeys");
        assertThatThrownBy(() -> camel.getEndpoint("kingdee:batchSave?formId=BD_Customer&autoSubmitAndAudit=true&audit=true"))
                .hasMessageContaining("not both");
    }

    @Test
    void theIdFieldDefaultsByFormAndCanBeNamed() {
        assertThat(((KingdeeSaveEndpoint) camel.getEndpoint("kingdee:batchSave?formId=BD_Customer")).resolvedIdField()).isEqualTo("FCUSTID");
        assertThat(((KingdeeSaveEndpoint) camel.getEndpoint("kingdee:batchSave?formId=SAL_SaleOrder")).resolvedIdField()).isEqualTo("FID");
        assertThat(((KingdeeSaveEndpoint) camel.getEndpoint("kingdee:batchSave?formId=BD_MATERIAL&idField=FMATERIALID")).resolvedIdField())
                .isEqualTo("FMATERIALID");
    }

    @Test
    void theWindowIsWrittenIntoTheFilterAsTheServersLocalTime() {
        KingdeeQueryEndpoint q = query("&filter=RAW(FModifyDate >= '${windowStart}' and FModifyDate <= '${windowEnd}')");
        // the kernel writes the bounds with the endpoint's windowFormat; the filter takes them as they come
        Map<String, Object> params = Map.of("windowStart", q.windowFormat().format(Instant.parse("2024-05-01T00:00:00Z")),
                "windowEnd", q.windowFormat().format(Instant.parse("2024-05-02T00:30:00Z")));
        assertThat(params).containsEntry("windowStart", "2024-05-01 08:00:00");
        assertThat(q.filterFor(params)).isEqualTo("FModifyDate >= '2024-05-01 08:00:00' and FModifyDate <= '2024-05-02 08:30:00'");
        assertThat(q.maxWindow()).isNull();
        assertThat(query("&timeZone=UTC").windowFormat().format(Instant.parse("2024-05-01T00:00:00Z"))).isEqualTo("2024-05-01 00:00:00");
        assertThat(q.spec().params().render(Map.of("offset", 1000L, "pageSize", 500)))
                .containsEntry("StartRow", 1000L).containsEntry("Limit", 500).doesNotContainKey("windowStart");
        assertThatThrownBy(() -> q.filterFor(Map.of())).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("${windowStart}").hasMessageContaining("no time window");
        assertThatThrownBy(() -> query("&filter=RAW(FNumber = '${page}')")).hasMessageContaining("${page}");
    }

    @Test
    void theQuerysOwnMistakesAreConfigurationAndTheBusyServerIsTransient() {
        assertThat(KingdeeClient.classifyQuery(status(4, "标识为“X”的业务对象不存在，或者被删除"))).isEqualTo(Failure.CONFIGURATION);
        assertThat(KingdeeClient.classifyQuery(status(4, "GetRealExpress error"))).isEqualTo(Failure.CONFIGURATION);
        assertThat(KingdeeClient.classifyQuery(status(9, "元数据中标识为FX的字段不存在"))).isEqualTo(Failure.CONFIGURATION);
        assertThat(KingdeeClient.classifyQuery(status(14, "调用限制"))).isEqualTo(Failure.TRANSIENT);
        assertThat(KingdeeClient.classifyQuery(status(6, "事务与另一个进程被死锁在 锁 资源上"))).isEqualTo(Failure.TRANSIENT);
        assertThat(KingdeeClient.classifyQuery(status(10, "未找到对应数据"))).isEqualTo(Failure.REJECTED_ROW);
        assertThat(KingdeeClient.isUnknownForm(status(4, "标识为“X”的业务对象不存在，或者被删除"))).isTrue();
        assertThat(KingdeeClient.isUnknownForm(status(4, "GetRealExpress error"))).isFalse();
    }

    private static Map<String, Object> status(int code, String message) {
        return Map.of("IsSuccess", false, "ErrorCode", 500, "MsgCode", code, "Errors", List.of(Map.of("Message", message, "DIndex", 0)),
                "SuccessEntitys", List.of());
    }
}
