package io.ferry.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.ferry.sandbox.Faults;
import io.ferry.sandbox.JushuitanSimulator;
import io.ferry.state.DeadLetterRepository.DeadLetter;
import io.ferry.state.DeadLetterRepository.Stage;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.ConsoleLogin;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * The console in a real headless Chromium (with the CJK fonts scripts/test.sh installs): every page, a run that
 * updates while it goes on, a bulk replay in which some dead letters are refused and say why, paging, and a viewer
 * refused an operator's action. Screenshots go to target/console-screenshots.
 */
class ConsoleBrowserTest {

    private static final String SYNC = "jst-shops-to-mysql";
    private static final Path SHOTS = Path.of("target", "console-screenshots");
    private static final int SHOPS = 600;

    private WebDriver browser;
    private Path profile;
    private static int shot;

    @BeforeEach
    void startBrowser() throws Exception {
        File chromium = new File("/usr/bin/chromium");
        File driver = new File("/usr/bin/chromedriver");
        assertThat(chromium).as("Chromium (Debian package chromium; scripts/test.sh installs it)").exists();
        assertThat(driver).as("chromedriver (Debian package chromium-driver; scripts/test.sh installs it)").exists();
        profile = Files.createTempDirectory("ferry-console-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000", "--lang=zh-CN",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        Files.createDirectories(SHOTS);
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void anOperatorRunsTheFleetFromTheConsole() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, SHOPS).withUser("olga", "operator", "olga-pass-1").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            // shops 4 and 5 are refused by the BI table (names too long for it): two real dead letters
            Map<String, Object> four = JushuitanSimulator.shop(4);
            four.put("shop_name", "杭州旗舰店".repeat(60));
            f.sandbox().jushuitan().overrideShop(4, four);
            Map<String, Object> five = JushuitanSimulator.shop(5);
            five.put("shop_name", "上海".repeat(250));
            f.sandbox().jushuitan().overrideShop(5, five);
            RunRecord first = f.runSync(SYNC);
            assertThat(first.written()).isEqualTo(SHOPS - 2);
            List<DeadLetter> refused = f.state().deadLetters().open(SYNC);
            assertThat(refused).hasSize(2);
            // one whose payload would run script if shown as markup, and enough more to fill more than one page
            for (int i = 0; i < 55; i++) {
                f.state().deadLetters().add(SYNC, first.id(), "店铺-" + i, Stage.RECORD, "{\"shop_id\":" + (90_000 + i) + "}",
                        "MappingException", "库存不足，无法映射 " + i, 1);
            }
            long script = f.state().deadLetters().add(SYNC, first.id(), "k<1>", Stage.RECORD,
                    "{\"name\":\"<script>document.title='owned'</script><img src=x onerror=alert(1)>\"}", "X", "bad & <b>worse</b>", 1);
            String base = ConsoleLogin.base(f) + "/console/";

            // not logged in: the login form; a wrong password is said so
            browser.get(base);
            wait(10).until(ExpectedConditions.urlContains("/console/login"));
            logIn("olga", "wrong");
            assertThat(wait(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error"))).getText()).contains("Wrong");
            screenshot("login-refused");
            Thread.sleep(1_100); // the failed login's delay (ferry.management.login.delay-ms)
            logIn("olga", "olga-pass-1");

            // the fleet: every shipped sync, this one with its last run's counts and its open dead letters
            WebElement row = wait(20).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-sync='" + SYNC + "']")));
            // below its error limit the run succeeded; its two refused shops are counted, and open in the inbox
            assertThat(row.getText()).contains("succeeded").contains("written " + (SHOPS - 2)).contains("failed 2").contains("59");
            assertThat(browser.findElements(By.cssSelector("#syncs tbody tr"))).hasSizeGreaterThanOrEqualTo(7);
            assertThat(browser.findElement(By.id("who")).getText()).contains("olga (operator)");
            // CJK: the page's fonts include one that has Chinese glyphs
            assertThat((Boolean) js("return document.fonts.check('14px \"Noto Sans CJK SC\"', '库存')")).isTrue();
            screenshot("fleet");
            // filter by status
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("status-filter"))).selectByValue("never-run");
            wait(10).until(d -> d.getCurrentUrl().contains("status=never-run"));
            wait(10).until(d -> d.findElements(By.cssSelector("tr[data-sync='" + SYNC + "']")).isEmpty());
            browser.get(base);

            // run now, and watch it go on without a reload: every vendor call answers slowly
            f.sandbox().jushuitan().setFaults(new Faults(7, 0, 0, 1.0, 1200, 0, 0, 0, 0));
            wait(20).until(ExpectedConditions.elementToBeClickable(By.id("run-" + SYNC))).click();
            wait(20).until(ExpectedConditions.urlMatches("#/runs/\\d+$"));
            js("window.ferryNoReload = 'still here'");
            WebElement read = wait(20).until(ExpectedConditions.presenceOfElementLocated(By.id("run-read")));
            assertThat(browser.findElement(By.id("run-status")).getText()).isEqualTo("running");
            assertThat(browser.findElement(By.id("flash")).getText()).contains("started");
            String before = read.getText();
            wait(30).until(d -> !d.findElement(By.id("run-read")).getText().equals(before)
                    && d.findElement(By.id("run-status")).getText().equals("running"));
            // the fleet shows the counts so far too, not the run row's zeros
            var fleetRow = ConsoleLogin.logIn(f, "olga", "olga-pass-1").get("/api/v1/syncs/" + SYNC).json();
            assertThat(fleetRow.path("state").asText()).isEqualTo("running");
            assertThat(fleetRow.path("lastRun").path("read").asInt()).isPositive();
            assertThat(browser.findElement(By.id("run-rate")).getText()).endsWith("records/s");
            assertThat(browser.findElement(By.id("run-left")).getText()).isNotEqualTo("—");
            screenshot("run-live");
            wait(90).until(d -> d.findElement(By.id("run-status")).getText().equals("succeeded"));
            assertThat(js("return window.ferryNoReload")).isEqualTo("still here");
            assertThat(browser.findElement(By.id("run-read")).getText()).isEqualTo(String.valueOf(SHOPS));
            assertThat(browser.findElement(By.id("run-skipped")).getText()).isEqualTo(String.valueOf(SHOPS - 2));
            assertThat(browser.findElements(By.cssSelector("#api-calls tbody tr"))).hasSizeGreaterThan(1);
            assertThat(browser.findElement(By.id("run-log")).getText()).contains(SYNC + ": run ").contains("started");
            screenshot("run-done");
            f.sandbox().jushuitan().setFaults(Faults.NONE);
            // a page that failed (it cannot be replayed; a run that reads the source to its end resolves it)
            long page = f.state().deadLetters().add(SYNC, first.id(), null, Stage.PAGE, "{\"page_index\":3}", "IOException",
                    "connection reset", 1);

            // the dead-letter inbox: text, never markup; pages of 50
            browser.get(base + "#/dead-letters?sync=" + SYNC);
            wait(20).until(ExpectedConditions.presenceOfElementLocated(By.id("dead-letters")));
            assertThat(browser.getTitle()).doesNotContain("owned");
            assertThat(browser.findElements(By.cssSelector("main script, main img"))).isEmpty();
            WebElement letter = browser.findElement(By.cssSelector("tr[data-id='" + script + "']"));
            assertThat(letter.getText()).contains("k<1>").contains("bad & <b>worse</b>");
            assertThat(browser.findElement(By.id("dead-letters-total")).getText()).isEqualTo("59 in all");
            assertThat(browser.findElements(By.cssSelector("#dead-letters tbody tr"))).hasSize(50);
            assertThat(browser.findElement(By.id("dead-letters")).getText()).contains("库存不足");
            screenshot("dead-letters");
            browser.findElement(By.id("dead-letters-next")).click();
            wait(20).until(d -> d.findElements(By.cssSelector("#dead-letters tbody tr")).size() == 9);
            assertThat(browser.findElements(By.id("dead-letters-first"))).hasSize(1);
            screenshot("dead-letters-page-2");

            // a bulk replay: shop 4 fits the widened column, shop 5 still does not
            f.sql().update("ALTER TABLE bi_shop MODIFY shop_name VARCHAR(400)");
            // they are on the second page (the newest come first); the page's checkboxes select what to replay together
            browser.get(base + "#/dead-letters?sync=" + SYNC);
            wait(20).until(ExpectedConditions.elementToBeClickable(By.id("dead-letters-next"))).click();
            wait(20).until(d -> d.findElements(By.cssSelector("#dead-letters tbody tr")).size() == 9);
            for (long id : List.of(refused.get(0).id(), refused.get(1).id())) {
                browser.findElement(By.id("pick-" + id)).click();
            }
            browser.findElement(By.id("replay-selected")).click();
            wait(20).until(ExpectedConditions.urlMatches("#/jobs/\\d+$"));
            wait(60).until(d -> d.findElement(By.id("job-status")).getText().equals("done"));
            assertThat(browser.findElement(By.id("job-progress")).getText()).isEqualTo("2 of 2");
            assertThat(browser.findElement(By.id("job-succeeded")).getText()).isEqualTo("1");
            assertThat(browser.findElement(By.id("job-refused")).getText()).isEqualTo("1");
            DeadLetter four4 = refused.stream().filter(d -> d.payload().contains("杭州")).findFirst().orElseThrow();
            DeadLetter five5 = refused.stream().filter(d -> d.payload().contains("上海")).findFirst().orElseThrow();
            assertThat(browser.findElement(By.cssSelector("#job-results tr[data-id='" + four4.id() + "']")).getText()).contains("replayed");
            assertThat(browser.findElement(By.cssSelector("#job-results tr[data-id='" + five5.id() + "']")).getText())
                    .contains("not-replayed").contains("the replay failed again");
            screenshot("bulk-replay");
            assertThat(f.state().deadLetters().find(four4.id()).status()).isEqualTo("replayed");
            assertThat(f.state().deadLetters().find(five5.id()).status()).isEqualTo("open");

            // by filter: every open page dead letter of the sync, which cannot be replayed, and says why
            browser.get(base + "#/dead-letters?sync=" + SYNC + "&stage=PAGE");
            wait(20).until(ExpectedConditions.textToBe(By.id("dead-letters-total"), "1 in all"));
            browser.findElement(By.id("replay-matching")).click();
            wait(20).until(ExpectedConditions.urlMatches("#/jobs/\\d+$"));
            wait(60).until(d -> d.findElement(By.id("job-status")).getText().equals("done"));
            assertThat(browser.findElement(By.cssSelector("#job-results tr[data-id='" + page + "']")).getText())
                    .contains("not-replayed").contains("a page cannot be replayed");
            screenshot("bulk-replay-by-filter");

            // record lookup: the replayed shop's whole story
            String key = four4.key();
            browser.get(base + "#/records?sync=" + SYNC + "&key=" + key);
            wait(20).until(ExpectedConditions.presenceOfElementLocated(By.id("record-synced")));
            assertThat(browser.findElement(By.id("record-synced")).getText()).isEqualTo("yes");
            String story = browser.findElement(By.id("record-story")).getText();
            assertThat(story).contains("written and marked synced by run").contains("dead letter " + four4.id() + " replayed");
            screenshot("record");

            // the sync's page: its chart of the last day, its runs
            browser.get(base + "#/syncs/" + SYNC);
            wait(20).until(ExpectedConditions.presenceOfElementLocated(By.id("activity-chart")));
            // every run counts: two sync runs of every shop and the replay run of the two shops
            assertThat(browser.findElement(By.id("activity-caption")).getText()).contains((2 * SHOPS + 2) + " read, "
                    + (SHOPS - 2 + 1) + " written").contains("59 dead-lettered");
            assertThat(browser.findElements(By.cssSelector("#activity-chart path.written"))).hasSize(1);
            screenshot("sync");

            // API calls, the state, the audit of what olga did
            browser.get(base + "#/api-calls?sync=" + SYNC + "&text=" + JushuitanSimulator.shop(7).get("shop_id"));
            wait(20).until(ExpectedConditions.presenceOfElementLocated(By.id("api-calls")));
            assertThat(browser.findElement(By.id("api-calls")).getText()).contains("/open/shops/query");
            screenshot("api-calls");
            browser.get(base + "#/state/" + SYNC);
            wait(20).until(ExpectedConditions.presenceOfElementLocated(By.id("state-synced-keys")));
            assertThat(browser.findElement(By.id("state-synced-keys")).getText()).isEqualTo(String.valueOf(SHOPS - 1));
            // an operator may not edit the state: the button says so and is off
            assertThat(browser.findElement(By.id("set-position")).isEnabled()).isFalse();
            assertThat(browser.findElement(By.id("state-admin-note")).getText()).contains("admin role");
            screenshot("state");
            browser.get(base + "#/audit");
            wait(20).until(ExpectedConditions.presenceOfElementLocated(By.id("audit")));
            assertThat(browser.findElement(By.id("audit")).getText()).contains("run-now").contains("bulk").contains("olga");
            screenshot("audit");

            // bad input in the address: the API's 400 message, shown on the page
            browser.get(base + "#/runs?after=abc");
            assertThat(wait(20).until(ExpectedConditions.presenceOfElementLocated(By.id("page-error"))).getText()).contains("after");
            screenshot("bad-input");

            // logging out ends the session
            browser.get(base);
            wait(20).until(ExpectedConditions.elementToBeClickable(By.id("logout-button"))).click();
            wait(20).until(ExpectedConditions.urlContains("/console/login"));
            browser.get(base + "#/runs");
            wait(10).until(ExpectedConditions.urlContains("/console/login"));
        }
    }

    @Test
    void aViewerSeesEverythingAndIsRefusedAnOperatorsAction() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 30).withUser("vic", "viewer", "vic-pass-1").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            assertThat(f.runSync(SYNC).written()).isEqualTo(30);
            browser.get(ConsoleLogin.base(f) + "/console/");
            wait(10).until(ExpectedConditions.urlContains("/console/login"));
            logIn("vic", "vic-pass-1");
            WebElement run = wait(20).until(ExpectedConditions.presenceOfElementLocated(By.id("run-" + SYNC)));
            assertThat(run.isEnabled()).isFalse();
            assertThat(run.getAttribute("title")).isEqualTo("needs the operator role; you are viewer");
            // the API refuses it even when the page's script is made to ask
            Object status = ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "const t = document.cookie.match(/XSRF-TOKEN=([^;]*)/)[1];"
                    + "fetch('/api/v1/syncs/" + SYNC + "/run', {method: 'POST', headers: {'X-XSRF-TOKEN': decodeURIComponent(t)}})"
                    + ".then(r => r.json().then(b => done(r.status + ' ' + b.error)));");
            assertThat(status).isEqualTo("403 POST /api/v1/syncs/" + SYNC + "/run needs the role operator; vic has viewer");
            screenshot("viewer-fleet");
            assertThat(f.state().runs().recent(SYNC, 10)).hasSize(1);
            browser.get(ConsoleLogin.base(f) + "/console/#/audit");
            assertThat(wait(20).until(ExpectedConditions.presenceOfElementLocated(By.id("audit"))).getText()).contains("vic")
                    .contains("refused");
            screenshot("viewer-audit");
        }
    }

    @Test
    void anAdminEditsASyncsStateAndPreviewsItsNextRun() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 30).withUser("ada", "admin", "ada-pass-1").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            assertThat(f.runSync(SYNC).written()).isEqualTo(30);
            String key = String.valueOf(JushuitanSimulator.shop(3).get("shop_id"));
            browser.get(ConsoleLogin.base(f) + "/console/#/state/" + SYNC);
            wait(10).until(ExpectedConditions.urlContains("/console/login"));
            logIn("ada", "ada-pass-1");
            browser.get(ConsoleLogin.base(f) + "/console/#/state/" + SYNC);
            assertThat(wait(20).until(ExpectedConditions.presenceOfElementLocated(By.id("state-synced-keys"))).getText()).isEqualTo("30");
            assertThat(browser.findElements(By.id("state-admin-note"))).isEmpty();
            browser.findElement(By.id("forget-keys")).sendKeys(key);
            browser.findElement(By.id("forget-keys-button")).click();
            wait(20).until(d -> d.findElement(By.id("state-synced-keys")).getText().equals("29"));
            assertThat(browser.findElement(By.id("flash")).getText()).startsWith("Edit ");
            assertThat(browser.findElement(By.id("state-edits")).getText()).contains("ada");
            screenshot("admin-state-edit");

            // the preview: the forgotten shop would be written again, the others skipped; nothing is written
            long runs = f.count("SELECT COUNT(*) FROM ferry_run");
            browser.get(ConsoleLogin.base(f) + "/console/#/preview/" + SYNC);
            WebElement limit = wait(20).until(ExpectedConditions.presenceOfElementLocated(By.id("preview-limit")));
            limit.clear();
            limit.sendKeys("30");
            browser.findElement(By.id("preview-button")).click();
            String summary = wait(60).until(ExpectedConditions.presenceOfElementLocated(By.id("preview-summary"))).getText();
            assertThat(summary).isEqualTo("read 30, would write 1 in 1 batch, would skip 29, would reject 0");
            screenshot("admin-preview");
            assertThat(f.count("SELECT COUNT(*) FROM ferry_run")).isEqualTo(runs);
            assertThat(f.state().syncedKeys(SYNC).count()).isEqualTo(29);
        }
    }

    private void logIn(String user, String password) {
        WebElement name = wait(20).until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        name.clear();
        name.sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        WebElement button = browser.findElement(By.id("login-button"));
        button.click();
        // the answer is a new page: wait until the form submitted is gone
        wait(20).until(d -> {
            try {
                button.isEnabled();
                return false;
            } catch (org.openqa.selenium.WebDriverException gone) {
                return true;
            }
        });
    }

    private WebDriverWait wait(int seconds) {
        WebDriverWait w = new WebDriverWait(browser, Duration.ofSeconds(seconds));
        // pages that follow a job are made again each second: an element may be replaced while it is looked at
        w.pollingEvery(Duration.ofMillis(100)).ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return w;
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void screenshot(String name) throws Exception {
        File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SHOTS.resolve(String.format("%02d-%s.png", ++shot, name)), StandardCopyOption.REPLACE_EXISTING);
    }
}
