package io.pulse.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.pulse.api.auth.DevTokens;
import io.pulse.common.config.ConfigKeys;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard as a person sees it: Pulse on embedded infrastructure with the generator on, the page opened in
 * Debian's headless Chromium through chromedriver. The tiles fill, then change as events flow (over the live
 * stream), the chart is drawn, and a screenshot is kept as a test artifact. Without a token, or with another
 * tenant's, the page says so instead.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DashboardBrowserIT {
    private static final String TENANT = "contoso";
    private static final String OTHER_TENANT = "fabrikam";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final List<String> TILES = List.of("tile-events", "tile-active", "tile-conversion", "tile-revenue", "tile-aov");
    private static final Pattern NUMBER = Pattern.compile(".*\\d.*");
    private static final Duration FILL_DEADLINE = Duration.ofSeconds(120);

    @TempDir
    static Path dataDir;
    private static final LocalPulse pulse = new LocalPulse();

    @TempDir
    Path browserProfile;
    private WebDriver driver;

    @BeforeAll
    static void startPulse() {
        requireChromium();
        pulse.start(LocalPulse.config(dataDir, Map.of(
                ConfigKeys.GENERATOR_RATE, "40",
                ConfigKeys.GENERATOR_TENANTS, TENANT + "," + OTHER_TENANT,
                ConfigKeys.GENERATOR_SEED, "20261121",
                ConfigKeys.WINDOW_GRACE, "10s")));
    }

    @AfterAll
    static void stopPulse() {
        pulse.close();
    }

    @AfterEach
    void quitBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void tilesFillThenChangeAsEventsFlowAndTheChartIsDrawn() throws Exception {
        driver = chromium();
        driver.get(devTokens().dashboardUrl(TENANT));

        await("the token leaves the address bar").atMost(Duration.ofSeconds(20))
                .until(() -> !driver.getCurrentUrl().contains("token="));
        await("every tile shows a number").atMost(FILL_DEADLINE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(state()).as("page state (notice: %s)", noticeText()).isEqualTo("live");
            for (String tile : TILES) {
                assertThat(tileValue(tile)).as("value of #%s", tile).matches(NUMBER);
                assertThat(driver.findElement(By.cssSelector("#" + tile + " [data-age]")).getText())
                        .as("freshness of #%s", tile).startsWith("updated ");
            }
        });
        await("the live stream is connected").atMost(Duration.ofSeconds(30))
                .until(() -> "live".equals(driver.findElement(By.id("connection")).getAttribute("data-connection")));

        String events = tileValue("tile-events");
        int liveEvents = liveEvents();
        await("the events tile changes as events flow").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> !tileValue("tile-events").equals(events) && liveEvents() > liveEvents);
        assertThat(driver.findElement(By.cssSelector("#tile-events [data-badge]")).getText()).isIn("provisional", "final");

        await("the events chart is drawn").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(chartPoints("chart-events")).as("points with events").isPositive();
            assertThat(paintedPixels("chart-events")).as("painted pixels of the canvas").isGreaterThan(2000);
        });

        Path screenshot = screenshot("dashboard-" + TENANT + ".png");
        System.out.println("DashboardBrowserIT: screenshot of the " + TENANT + " dashboard: " + screenshot);
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }

    @Test
    void withoutATokenThePageSaysHowToGetOne() {
        driver = chromium();
        driver.get("http://localhost:" + pulse.pipeline().apiPort() + "/dashboard/" + TENANT);

        await().atMost(Duration.ofSeconds(20)).until(() -> "no-token".equals(state()));
        WebElement notice = driver.findElement(By.id("notice"));
        assertThat(notice.isDisplayed()).isTrue();
        assertThat(notice.getText()).contains("No access token").contains("./pulse demo").contains("#token=");
        assertThat(tileValue("tile-events")).isEqualTo("—");
    }

    @Test
    void anotherTenantsTokenIsRefusedAndThePageSaysSo() {
        driver = chromium();
        driver.get("http://localhost:" + pulse.pipeline().apiPort() + "/dashboard/" + OTHER_TENANT + "#token=" + devTokens().forTenant(TENANT));

        await().atMost(Duration.ofSeconds(30)).until(() -> "forbidden".equals(state()));
        assertThat(driver.findElement(By.id("notice")).getText()).contains("403").contains(OTHER_TENANT);
        assertThat(tileValue("tile-events")).isEqualTo("—");
    }

    // ------------------------------------------------------------------ helpers

    /** Never skips: a machine without Debian's Chromium fails here, saying what to install. */
    private static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("DashboardBrowserIT needs Debian's headless Chromium and its driver (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): install them with 'apt-get install chromium chromium-driver' (.ci/run does so on CI)");
        }
    }

    private WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + browserProfile, "--window-size=1400,1500", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static DevTokens devTokens() {
        return pulse.pipeline().devTokens()
                .orElseThrow(() -> new AssertionError("the local profile should issue dev tokens (pulse.api.auth.mode=dev)"));
    }

    private String state() {
        return driver.findElement(By.tagName("body")).getAttribute("data-state");
    }

    private String noticeText() {
        WebElement notice = driver.findElement(By.id("notice"));
        return notice.isDisplayed() ? notice.getText() : "none";
    }

    private String tileValue(String tile) {
        return driver.findElement(By.cssSelector("#" + tile + " [data-value]")).getText().trim();
    }

    private int liveEvents() {
        String n = driver.findElement(By.tagName("body")).getAttribute("data-live-events");
        return n == null ? 0 : Integer.parseInt(n);
    }

    private long chartPoints(String canvasId) {
        Object n = ((JavascriptExecutor) driver).executeScript(
                "const chart = window.Chart && window.Chart.getChart(document.getElementById(arguments[0]));"
                        + "return chart ? chart.data.datasets[0].data.filter(v => v > 0).length : -1;", canvasId);
        return ((Number) n).longValue();
    }

    private long paintedPixels(String canvasId) {
        Object n = ((JavascriptExecutor) driver).executeScript(
                "const c = document.getElementById(arguments[0]);"
                        + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + "let painted = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) painted++; } return painted;", canvasId);
        return ((Number) n).longValue();
    }

    private Path screenshot(String name) throws Exception {
        Path dir = Path.of(System.getProperty("basedir", "."), "target", "screenshots").toAbsolutePath().normalize();
        Files.createDirectories(dir);
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path target = dir.resolve(name);
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }
}
