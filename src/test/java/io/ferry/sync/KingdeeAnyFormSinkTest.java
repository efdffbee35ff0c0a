package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import io.ferry.kernel.RowResult;
import io.ferry.sandbox.KingdeeSimulator;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** The Kingdee sink on a second form (BD_MATERIAL), with Save, idField, Submit and Audit, and with the X-Api signature. */
class KingdeeAnyFormSinkTest {

    private static List<Map<String, Object>> materials(String... numbers) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String n : numbers) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("FMATERIALID", 0);
            row.put("FNumber", n);
            row.put("FName", "物料" + n);
            row.put("FSpecification", "10x10");
            row.put("FCreateOrgId", Map.of("FNumber", "100"));
            rows.add(row);
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static List<RowResult> send(FerryHarness f, String uri, List<Map<String, Object>> rows) {
        ProducerTemplate template = f.app().camel().createProducerTemplate();
        Exchange ex = template.send(uri, e -> e.getIn().setBody(rows));
        if (ex.getException() != null) {
            throw new AssertionError(ex.getException());
        }
        return (List<RowResult>) ex.getIn().getHeader(RowResult.HEADER);
    }

    @Test
    void savesMaterialsOneByOneThenSubmitsAndAuditsThem() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 0).start()) {
            KingdeeSimulator kd = f.sandbox().kingdee();
            List<RowResult> results = send(f, "kingdee:save?formId=BD_MATERIAL&idField=FMATERIALID&submit=true&audit=true",
                    materials("M-1", "M-2", "M-3"));
            assertThat(results).hasSize(3).allMatch(RowResult::delivered);
            Map<String, Map<String, Object>> stored = kd.records(KingdeeSimulator.MATERIALS);
            assertThat(stored).containsOnlyKeys("M-1", "M-2", "M-3");
            assertThat(stored.values()).allMatch(r -> "C".equals(r.get("FDocumentStatus")));
            assertThat(results.get(1).targetRef()).isEqualTo(String.valueOf(stored.get("M-2").get("FMATERIALID")));
            assertThat(kd.submitted()).isEqualTo(3);
            assertThat(kd.audited()).isEqualTo(3);
            // Save is one row per call
            assertThat(kd.customers()).isEmpty();

            // an update by the inner id the route named
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("FMATERIALID", stored.get("M-2").get("FMATERIALID"));
            change.put("FSpecification", "20x20");
            List<RowResult> updated = send(f, "kingdee:batchSave?formId=BD_MATERIAL&idField=FMATERIALID", List.of(change));
            assertThat(updated.get(0).delivered()).isTrue();
            assertThat(kd.records(KingdeeSimulator.MATERIALS).get("M-2")).containsEntry("FSpecification", "20x20");
        }
    }

    @Test
    void submitOnlyLeavesTheRowsSubmittedAndARefusedAuditRejectsThatRow() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 0).start()) {
            KingdeeSimulator kd = f.sandbox().kingdee();
            List<RowResult> results = send(f, "kingdee:batchSave?formId=BD_MATERIAL&idField=FMATERIALID&submit=true",
                    materials("S-1", "S-2"));
            assertThat(results).allMatch(RowResult::delivered);
            assertThat(kd.records(KingdeeSimulator.MATERIALS).values()).allMatch(r -> "B".equals(r.get("FDocumentStatus")));
            assertThat(kd.audited()).isZero();
        }
    }

    @Test
    void theXApiSignatureSignsEveryCallWithoutALogin() throws Exception {
        String appId = "232323_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY";
        try (KingdeeSimulator own = new KingdeeSimulator("acct-x", "ferry", "pwd", appId, "the-app-secret")) {
            own.start();
            FerryHarness h = new FerryHarness(Db.H2, 0).with("camel.component.kingdee.base-url", own.baseUrl())
                    .with("camel.component.kingdee.acct-id", "acct-x").with("camel.component.kingdee.app-id", appId)
                    .with("camel.component.kingdee.app-secret", "the-app-secret")
                    .with("camel.component.kingdee.login-method", "api-signature");
            try (FerryHarness f = h.start()) {
                List<RowResult> results = send(f, "kingdee:batchSave?formId=BD_Customer", List.of(customer("X-1"), customer("X-2")));
                assertThat(results).allMatch(RowResult::delivered);
                assertThat(own.customers()).containsOnlyKeys("X-1", "X-2");
                assertThat(own.logins()).isZero();
                assertThat(own.signedCalls()).isEqualTo(1);
                assertThat(own.refusedSignatures()).isZero();
            }
            FerryHarness wrong = new FerryHarness(Db.H2, 0).with("camel.component.kingdee.base-url", own.baseUrl())
                    .with("camel.component.kingdee.acct-id", "acct-x").with("camel.component.kingdee.app-id", appId)
                    .with("camel.component.kingdee.app-secret", "not-the-secret")
                    .with("camel.component.kingdee.login-method", "api-signature");
            try (FerryHarness f = wrong.start()) {
                ProducerTemplate template = f.app().camel().createProducerTemplate();
                Exchange ex = template.send("kingdee:batchSave?formId=BD_Customer", e -> e.getIn().setBody(List.of(customer("X-3"))));
                assertThat(ex.getException()).hasMessageContaining("refused the request's X-Api signature")
                        .hasMessageContaining("app-secret").hasMessageNotContaining("not-the-secret");
                assertThat(own.refusedSignatures()).isEqualTo(1);
                assertThat(own.customers()).doesNotContainKey("X-3");
            }
        }
    }

    private static Map<String, Object> customer(String number) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("FCUSTID", 0);
        row.put("FNumber", number);
        row.put("FName", "客户" + number);
        return row;
    }
}
