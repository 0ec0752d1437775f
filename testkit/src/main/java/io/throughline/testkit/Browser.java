package io.throughline.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium (Debian's chromium and chromium-driver) driven by Selenium WebDriver. Host names
 * ending in {@code .test} resolve to 127.0.0.1, so a test serves several "sites" from loopback. On a developer
 * machine without Chromium the test is skipped; under CI=true it fails, because CI installs Chromium.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of(System.getProperty("throughline.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("throughline.chromedriver", "/usr/bin/chromedriver"));
    /** A desktop Chrome user agent, for runs that must look like a person rather than a headless browser. */
    public static final String DESKTOP_CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(boolean looksLikeAPerson) throws IOException {
        profile = Files.createTempDirectory("throughline-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--host-resolver-rules=MAP *.test 127.0.0.1", "--window-size=1280,900");
        if (looksLikeAPerson) {
            // No navigator.webdriver and no "HeadlessChrome" in the user agent: what a person's browser shows.
            options.addArguments("--disable-blink-features=AutomationControlled", "--user-agent=" + DESKTOP_CHROME);
            options.setExperimentalOption("excludeSwitches", java.util.List.of("enable-automation"));
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
    }

    /** A browser that looks like a person's (the collector must not flag it). */
    public static Browser person() throws IOException {
        requireChromium();
        return new Browser(true);
    }

    /** A plain headless browser under automation (the collector must flag it). */
    public static Browser headless() throws IOException {
        requireChromium();
        return new Browser(false);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Skips the test when Chromium is not installed, unless under CI, where its absence is a failure. */
    public static void requireChromium() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("Chromium or chromedriver missing at " + CHROMIUM + " / " + CHROMEDRIVER
                    + " under CI; .ci/run installs them (apt-get install chromium chromium-driver)");
        }
        Assumptions.assumeTrue(present, "Chromium not installed (apt-get install chromium chromium-driver)");
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary profile left behind is harmless
            }
        }
    }
}
