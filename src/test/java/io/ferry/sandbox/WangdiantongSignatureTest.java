package io.ferry.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The simulator's own Wangdiantong signatures against the vectors of protocols.md §2.1 and §2.2. */
class WangdiantongSignatureTest {

    @Test
    void directSignMatchesTheReferenceVector() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("sid", "wdtapi3");
        q.put("key", "appkey");
        q.put("salt", "salt");
        q.put("method", "goods.Goods.queryWithSpec");
        q.put("timestamp", "100");
        q.put("v", "1.0");
        String body = "[{\"goods_no\":\"G001\"}]";
        assertThat(WangdiantongSignature.direct("secret", q, body)).isEqualTo("703b2c4b5b16565883e6b58d18e254a2");

        assertThat(WangdiantongSignature.verifyDirect("secret", q, body)).as("no sign").isFalse();
        q.put("sign", "703b2c4b5b16565883e6b58d18e254a2");
        assertThat(WangdiantongSignature.verifyDirect("secret", q, body)).isTrue();
        assertThat(WangdiantongSignature.verifyDirect("secret", q, "[{\"goods_no\":\"G002\"}]")).as("another body").isFalse();
        assertThat(WangdiantongSignature.verifyDirect("secret", q, "")).as("the body left out").isFalse();
    }

    /** The Wangdiantong parameters of the §2.2 vector, and the router's around them. */
    private static Map<String, String> qimenVectorParams() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("method", "wdt.wms.stockspec.querychangehistory");
        p.put("datetime", "2020-09-17 19:22:26");
        p.put("wdt_salt", "salt");
        p.put("wdt_appkey", "wdt_appkey");
        p.put("pager", "{\"page_no\":1,\"page_size\":10}");
        p.put("params", "{\"end_date\":\"2020-09-20 00:00:00\",\"spec_no\":null,\"start_date\":\"2020-08-23 00:00:00\","
                + "\"warehouse_no\":\"1001\"}");
        p.put("wdt3_customer_id", "wdtapi3");
        return p;
    }

    @Test
    void wdtSignFlattensJsonAndMatchesTheReferenceVector() {
        Map<String, String> p = qimenVectorParams();
        assertThat(WangdiantongSignature.wdtSignedText(p)).isEqualTo("datetime2020-09-17 19:22:26"
                + "methodwdt.wms.stockspec.querychangehistorypagerpage_no1page_size10paramsend_date2020-09-20 00:00:00"
                + "start_date2020-08-23 00:00:00warehouse_no1001wdt_appkeywdt_appkeywdt_saltsalt");
        assertThat(WangdiantongSignature.wdtSign("secret", p)).isEqualTo("1f5e87bbbc8bc68f4f0af70f79620b7d");

        // the router's parameters, the outer sign and wdt_sign itself are outside wdt_sign
        p.put("app_key", "12345");
        p.put("format", "json");
        p.put("v", "2.0");
        p.put("sign_method", "md5");
        p.put("target_app_key", "t");
        p.put("timestamp", "2020-09-17 19:22:26");
        p.put("sign", "X");
        p.put("wdt_sign", "1f5e87bbbc8bc68f4f0af70f79620b7d");
        assertThat(WangdiantongSignature.wdtSign("secret", p)).isEqualTo("1f5e87bbbc8bc68f4f0af70f79620b7d");
        assertThat(WangdiantongSignature.verifyWdtSign("secret", p)).isTrue();
        assertThat(WangdiantongSignature.verifyWdtSign("other", p)).isFalse();
    }

    @Test
    void flatteningKeepsArrayOrderSortsNestedObjectsAndDropsNulls() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("params", "{\"b\":[3,{\"z\":1,\"y\":null,\"x\":true},null,\"s\"],\"a\":{\"d\":2.5,\"c\":\"\"}}");
        assertThat(WangdiantongSignature.wdtSignedText(p)).isEqualTo("params" + "a" + "c" + "d2.5" + "b" + "3" + "xtrue" + "z1" + "s");
        // text that only looks like JSON is signed as it is
        p.put("params", "{not json");
        assertThat(WangdiantongSignature.wdtSignedText(p)).isEqualTo("params{not json");
    }

    @Test
    void wdtSignAlsoAcceptsTheRawJsonVariant() {
        Map<String, String> p = qimenVectorParams();
        // computed with Python's hashlib over the same parameters, JSON values as their text (not published)
        assertThat(WangdiantongSignature.wdtSignOfRawJson("secret", p)).isEqualTo("dc271aaa3eab05339678f829349550da");
        p.put("wdt_sign", "dc271aaa3eab05339678f829349550da");
        assertThat(WangdiantongSignature.verifyWdtSign("secret", p)).isTrue();
        p.put("wdt_sign", "dc271aaa3eab05339678f829349550db");
        assertThat(WangdiantongSignature.verifyWdtSign("secret", p)).isFalse();
    }

    private static Map<String, String> topVectorParams() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("app_key", "12345");
        p.put("format", "json");
        p.put("method", "wdt.setting.shop.queryshop");
        p.put("sign_method", "md5");
        p.put("timestamp", "2024-01-01 00:00:00");
        p.put("v", "2.0");
        return p;
    }

    @Test
    void routerSignMatchesTheVectorInUppercaseAndSkipsEmptyValues() {
        Map<String, String> p = topVectorParams();
        assertThat(WangdiantongSignature.routerSign("secret", "md5", p)).isEqualTo("240EB6E2E87875DB0386780D514BD305");
        p.put("session", "");
        p.put("sign", "240EB6E2E87875DB0386780D514BD305");
        assertThat(WangdiantongSignature.verifyRouterSign("secret", p)).isTrue();
        p.put("sign", "240eb6e2e87875db0386780d514bd305");
        assertThat(WangdiantongSignature.verifyRouterSign("secret", p)).as("TOP's sign is uppercase hex").isFalse();
    }

    @Test
    void routerSignWithHmac() {
        Map<String, String> p = topVectorParams();
        p.put("sign_method", "hmac");
        // computed with Python's hmac module (HMAC-MD5 under the secret, no wrapping), not published
        assertThat(WangdiantongSignature.routerSign("secret", "hmac", p)).isEqualTo("10192726E3AD02106842FCCE6ABDE2E1");
        p.put("sign", "10192726E3AD02106842FCCE6ABDE2E1");
        assertThat(WangdiantongSignature.verifyRouterSign("secret", p)).isTrue();
        p.put("sign_method", "md5");
        assertThat(WangdiantongSignature.verifyRouterSign("secret", p)).as("signed by the other method").isFalse();
    }
}
