package io.ferry.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.ferry.state.DeadLetterRepository.Stage;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** The web console in a real headless Chromium: log in, see a sandbox run, run a sync now, dead letters, API calls. */
class ConsoleBrowserTest {

    private static final String SYNC = "jst-shops-to-mysql";
    private static final String USER = "operator";
    private static final String PASSWORD = "console-pass-4711";
    private static final Path SHOTS = Path.of("target", "console-screenshots");

    private WebDriver browser;
    private Path profile;
    private int shot;

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
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1500,1000",
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
    void logInSeeARunRunNowAndWorkTheDeadLetters() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 120).with("ferry.console.username", USER)
                .with("ferry.console.password", PASSWORD).with("ferry.console.login.delay-ms", "100").start()) {
            f.sandbox().jushuitan().rateLimit(false);
            assertThat(f.runSync(SYNC).written()).isEqualTo(120);
            // a payload that would run script if the console did not escape it
            long dl = f.state().deadLetters().add(SYNC, null, "k<1>", Stage.RECORD,
                    "{\"name\":\"<script>document.title='owned'</script><img src=x onerror=alert(1)>\"}", "X", "bad & <b>worse</b>", 1);
            String base = "http://127.0.0.1:" + console(f).port();

            // not logged in: the login page; a wrong password is refused
            browser.get(base + "/");
            assertThat(browser.getCurrentUrl()).endsWith("/login");
            logIn("operator", "wrong");
            assertThat(new WebDriverWait(browser, Duration.ofSeconds(20))
                    .until(org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(By.id("login-error")))
                    .getText()).contains("Wrong");
            screenshot("login-refused");
            // a failed login makes the next attempt wait ferry.console.login.delay-ms
            Thread.sleep(100);
            logIn(USER, PASSWORD);

            // the syncs page shows the sandbox run's counts
            WebElement row = browser.findElement(By.cssSelector("tr[data-sync='" + SYNC + "']"));
            assertThat(row.findElement(By.className("written")).getText()).isEqualTo("120");
            assertThat(row.findElement(By.className("read")).getText()).isEqualTo("120");
            assertThat(row.findElement(By.className("status")).getText()).isEqualTo("succeeded");
            assertThat(row.findElement(By.className("run-id")).getText()).isEqualTo("1");
            screenshot("syncs");

            // run now: the runs page shows the new run, which skips every shop synced before
            browser.findElement(By.id("run-now-" + SYNC)).click();
            new WebDriverWait(browser, Duration.ofSeconds(20))
                    .until(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("/runs?sync=" + SYNC));
            assertThat(browser.findElement(By.id("flash")).getText()).contains(SYNC);
            new WebDriverWait(browser, Duration.ofSeconds(60)).pollingEvery(Duration.ofMillis(500)).until(b -> {
                b.navigate().refresh();
                var run2 = b.findElements(By.cssSelector("tr[data-run='2'] td.status"));
                return !run2.isEmpty() && run2.get(0).getText().equals("succeeded");
            });
            assertThat(browser.findElement(By.cssSelector("tr[data-run='2'] td.written")).getText()).isEqualTo("0");
            screenshot("runs-after-run-now");

            // dead letters: shown as text, never as markup
            browser.get(base + "/dead-letters");
            assertThat(browser.getTitle()).doesNotContain("owned");
            assertThat(browser.findElements(By.cssSelector("main script, main img"))).isEmpty();
            WebElement letter = browser.findElement(By.cssSelector("tr[data-id='" + dl + "']"));
            assertThat(letter.getText()).contains("k<1>").contains("bad & <b>worse</b>");
            letter.findElement(By.tagName("summary")).click();
            assertThat(letter.findElement(By.tagName("pre")).getText()).contains("<script>document.title='owned'</script>");
            screenshot("dead-letters");

            // discard from the page
            browser.navigate().refresh();
            WebElement form = browser.findElement(By.cssSelector("tr[data-id='" + dl + "'] form"));
            form.findElement(By.name("reason")).sendKeys("a test record");
            form.findElement(By.tagName("button")).click();
            new WebDriverWait(browser, Duration.ofSeconds(20))
                    .until(org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(By.id("flash")));
            assertThat(browser.findElement(By.id("flash")).getText()).isEqualTo("Dead letter " + dl + " discarded.");
            assertThat(browser.findElements(By.cssSelector("tr[data-id='" + dl + "']"))).isEmpty();
            assertThat(f.state().deadLetters().find(dl).resolution()).isEqualTo("a test record");

            // API calls: search by sync and a shop's key
            browser.get(base + "/api-calls?sync=" + SYNC + "&key=10000007");
            assertThat(browser.findElements(By.cssSelector("#api-calls tr"))).hasSize(1 + 2);
            assertThat(browser.findElement(By.id("api-calls")).getText()).contains("/open/shops/query")
                    .contains("access_token=***")
                    .doesNotContain(f.sandbox().properties().get("camel.component.jushuitan.access-token"));
            screenshot("api-calls");

            // a restart keeps what the pages show: they read the state tables
            f.restart();
            base = "http://127.0.0.1:" + console(f).port();
            browser.get(base + "/");
            logIn(USER, PASSWORD);
            row = browser.findElement(By.cssSelector("tr[data-sync='" + SYNC + "']"));
            assertThat(row.findElement(By.className("run-id")).getText()).isEqualTo("2");
            assertThat(row.findElement(By.className("skipped")).getText()).isEqualTo("120");
            screenshot("syncs-after-restart");

            browser.findElement(By.id("logout")).click();
            // the logout is a form post: the session ends when its answer has come, not when the click returns
            new WebDriverWait(browser, Duration.ofSeconds(20))
                    .until(org.openqa.selenium.support.ui.ExpectedConditions.urlContains("/login"));
            browser.get(base + "/runs");
            assertThat(browser.getCurrentUrl()).endsWith("/login");
        }
    }

    private void logIn(String user, String password) {
        if (!browser.getCurrentUrl().endsWith("/login")) {
            return;
        }
        browser.findElement(By.id("username")).clear();
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        WebElement button = browser.findElement(By.id("login-button"));
        button.click();
        // the answer is a new page: wait until the form we submitted is gone. Chromium reports a node of the page
        // being replaced as stale or, during the navigation, as "not belonging to the document": both mean gone
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> {
            try {
                button.isEnabled();
                return false;
            } catch (org.openqa.selenium.WebDriverException gone) {
                return true;
            }
        });
    }

    private static ConsoleServer console(FerryHarness f) {
        return f.app().camel().getRegistry().lookupByNameAndType(Observability.CONSOLE_BEAN, ConsoleServer.class);
    }

    private void screenshot(String name) throws Exception {
        File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SHOTS.resolve(String.format("%02d-%s.png", ++shot, name)), StandardCopyOption.REPLACE_EXISTING);
    }
}
