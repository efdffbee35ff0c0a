package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.ferry.kernel.SourceException;
import io.ferry.kernel.RateLimitExhaustedException;
import io.ferry.sandbox.WangdiantongSimulator;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * The wangdiantong: source end to end in both styles, through a test-only route
 * (src/test/resources/routes-wdt) that upserts shops into a test table, state on MariaDB.
 */
class WangdiantongShopsTest {

    private static final String SYNC = "wdt-shops-test";

    private static FerryHarness harness(String style, int shops) {
        return new FerryHarness(Db.MARIADB, shops)
                .with("camel.main.routes-include-pattern", "file:routes/ferry-sync.yaml,file:routes/ferry-templates.yaml,file:src/test/resources/routes-wdt/*.yaml")
                .with("camel.component.wangdiantong.style", style)
                .with("camel.component.wangdiantong.rate-limit-pause", "20")
                .with("camel.component.wangdiantong.rate-limit-max-wait", "200");
    }

    private static void createTable(FerryHarness f) {
        f.sql().update("CREATE TABLE wdt_shop_test (shop_no VARCHAR(40) PRIMARY KEY, shop_name VARCHAR(200),"
                + " shop_id BIGINT, platform_id INT, is_disabled INT)");
    }

    private static List<String> pages(String style, int... numbers) {
        return java.util.Arrays.stream(numbers).mapToObj(n -> style + ":" + n).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = { "direct", "qimen" })
    void pagesToTheEndWaitsOutTheRateLimitAndFailsClearlyOnBadAnswers(String style) throws Exception {
        try (FerryHarness f = harness(style, 100).start()) {
            createTable(f);
            WangdiantongSimulator wdt = f.sandbox().wangdiantong();
            int base = style.equals("direct") ? 0 : 1;

            // total_count ends paging: 100 shops are two full pages and no third call
            RunRecord first = f.runSync(SYNC);
            assertThat(first.status()).isEqualTo("succeeded");
            assertThat(first.pages()).isEqualTo(2);
            assertThat(first.written()).isEqualTo(100);
            assertThat(wdt.pagesAsked()).containsExactlyElementsOf(pages(style, base, base + 1));
            assertThat(f.count("SELECT COUNT(*) FROM wdt_shop_test")).isEqualTo(100);
            String name = f.sql().queryOne("SELECT shop_name FROM wdt_shop_test WHERE shop_no = 'WDT000042'", rs -> rs.getString(1));
            assertThat(name).isEqualTo("旺店通测试店铺42");

            // without total_count a short page ends paging
            wdt.reportTotals(false);
            wdt.addShops(20);
            RunRecord shortPage = f.runSync(SYNC);
            assertThat(shortPage.status()).isEqualTo("succeeded");
            assertThat(shortPage.pages()).isEqualTo(3);
            assertThat(shortPage.read()).isEqualTo(120);
            assertThat(shortPage.skipped()).isEqualTo(100);
            assertThat(shortPage.written()).isEqualTo(20);
            assertThat(f.count("SELECT COUNT(*) FROM wdt_shop_test")).isEqualTo(120);
            wdt.reportTotals(true);

            // status 100 with the rate-limit message: the same page is asked again after the pause
            int asked = wdt.pagesAsked().size();
            wdt.rateLimitNext(2, style.equals("qimen"));
            RunRecord limited = f.runSync(SYNC);
            assertThat(limited.status()).isEqualTo("succeeded");
            assertThat(wdt.rateLimitAnswers()).isEqualTo(2);
            assertThat(wdt.pagesAsked().subList(asked, wdt.pagesAsked().size()))
                    .containsExactlyElementsOf(pages(style, base, base + 1, base + 2));
            assertThat(limited.read()).isEqualTo(120);

            // a rate limit that outlasts rate-limit-max-wait stops the run as partial
            wdt.rateLimitNext(1000, false);
            RunRecord exhausted = f.runSync(SYNC);
            assertThat(exhausted.status()).isEqualTo("partial");
            assertThat(exhausted.error()).contains("RateLimitExhaustedException").contains("kept answering status 100")
                    .contains(WangdiantongSimulator.RATE_LIMIT_MESSAGE);
            wdt.rateLimitNext(0, false);

            // another status 100 message is an error, not a rate limit
            wdt.failPage(base + 1, 100, "权限不足");
            RunRecord denied = f.runSync(SYNC);
            assertThat(denied.status()).isEqualTo("failed");
            assertThat(denied.error()).contains("SourceException").contains("page " + (base + 1) + " answered status 100: 权限不足");
            wdt.clearOverrides();

            // an HTML page instead of the API's JSON
            wdt.overridePage(base, 200, "text/html; charset=utf-8", "<html><body><h1>系统维护中</h1></body></html>");
            RunRecord html = f.runSync(SYNC);
            assertThat(html.status()).isEqualTo("failed");
            assertThat(html.error()).contains("HTTP 200 (text/html").contains("not the API's JSON").contains("系统维护中");
            wdt.clearOverrides();
            assertThat(f.state().deadLetters().open(SYNC)).extracting(d -> d.payload())
                    .anySatisfy(p -> assertThat(p).contains("权限不足"))
                    .anySatisfy(p -> assertThat(p).contains("系统维护中"));

            RunRecord last = f.runSync(SYNC);
            assertThat(last.status()).isEqualTo("succeeded");
            assertThat(last.skipped()).isEqualTo(120);
            assertThat(last.written()).isZero();
            assertThat(f.count("SELECT COUNT(*) FROM wdt_shop_test")).isEqualTo(120);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "direct", "qimen" })
    void aWrongSecretIsReportedWithTheSettingsToCheck(String style) throws Exception {
        FerryHarness f = harness(style, 10);
        try (f) {
            String secret = f.sandbox().properties().get("camel.component.wangdiantong.app-secret");
            f.with("camel.component.wangdiantong.app-secret", "wrong" + secret.substring(secret.indexOf(':'))).start();
            createTable(f);
            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("failed");
            assertThat(run.error()).contains("answered status 1: 签名验证失败")
                    .contains("check camel.component.wangdiantong.sid, app-key and app-secret")
                    .doesNotContain(secret.substring(0, secret.indexOf(':')));
        }
    }
}
