package io.ferry.connector.wangdiantong;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The signature vectors of protocols.md §2.1 and §2.2. */
class WangdiantongSignerTest {

    @Test
    void directSignMatchesTheReferenceVector() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("sid", "wdtapi3");
        p.put("key", "appkey");
        p.put("salt", "salt");
        p.put("method", "goods.Goods.queryWithSpec");
        p.put("timestamp", "100");
        p.put("v", "1.0");
        p.put("body", "[{\"goods_no\":\"G001\"}]");
        assertThat(WangdiantongSigner.direct("secret", p)).isEqualTo("703b2c4b5b16565883e6b58d18e254a2");
        // sign itself is never signed
        p.put("sign", "anything");
        assertThat(WangdiantongSigner.direct("secret", p)).isEqualTo("703b2c4b5b16565883e6b58d18e254a2");
    }

    @Test
    void wdtSignFlattensJsonValuesAndMatchesTheReferenceVector() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("method", "wdt.wms.stockspec.querychangehistory");
        p.put("datetime", "2020-09-17 19:22:26");
        p.put("wdt_salt", "salt");
        p.put("wdt_appkey", "wdt_appkey");
        p.put("pager", "{\"page_no\":1,\"page_size\":10}");
        p.put("params", "{\"end_date\":\"2020-09-20 00:00:00\",\"spec_no\":null,\"start_date\":\"2020-08-23 00:00:00\",\"warehouse_no\":\"1001\"}");
        p.put("wdt3_customer_id", "wdtapi3");
        assertThat(WangdiantongSigner.wdtSignedString(p)).isEqualTo("datetime2020-09-17 19:22:26"
                + "methodwdt.wms.stockspec.querychangehistorypagerpage_no1page_size10paramsend_date2020-09-20 00:00:00"
                + "start_date2020-08-23 00:00:00warehouse_no1001wdt_appkeywdt_appkeywdt_saltsalt");
        assertThat(WangdiantongSigner.wdtSign("secret", p)).isEqualTo("1f5e87bbbc8bc68f4f0af70f79620b7d");
        // the router's own parameters (and the outer sign) do not change wdt_sign
        p.put("app_key", "12345");
        p.put("target_app_key", "t");
        p.put("timestamp", "2020-09-17 19:22:26");
        p.put("sign", "X");
        assertThat(WangdiantongSigner.wdtSign("secret", p)).isEqualTo("1f5e87bbbc8bc68f4f0af70f79620b7d");
    }

    @Test
    void topSignMatchesTheVectorAndIsUppercase() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("app_key", "12345");
        p.put("format", "json");
        p.put("method", "wdt.setting.shop.queryshop");
        p.put("sign_method", "md5");
        p.put("timestamp", "2024-01-01 00:00:00");
        p.put("v", "2.0");
        assertThat(WangdiantongSigner.top("secret", "md5", p)).isEqualTo("240EB6E2E87875DB0386780D514BD305");
        // empty values are left out
        p.put("session", "");
        assertThat(WangdiantongSigner.top("secret", "md5", p)).isEqualTo("240EB6E2E87875DB0386780D514BD305");
        assertThat(WangdiantongSigner.top("secret", "hmac", p)).matches("[0-9A-F]{32}").isNotEqualTo("240EB6E2E87875DB0386780D514BD305");
    }
}
