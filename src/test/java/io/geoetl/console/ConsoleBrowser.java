package io.geoetl.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven by Debian's chromedriver over classic WebDriver. Both paths are given, so
 * Selenium Manager never looks for a browser or driver on the network, and Chromium's own background
 * networking (updates, sync, safe browsing) is off. Screenshots go to target/console-screenshots/ for a person
 * to look at; what the page logged to its console is added to every failure's message.
 */
public final class ConsoleBrowser implements AutoCloseable {

    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final String CHROMIUM = System.getenv().getOrDefault("GEOETL_TEST_CHROMIUM", "/usr/bin/chromium");
    private static final String DRIVER = System.getenv().getOrDefault("GEOETL_TEST_CHROMEDRIVER",
            "/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final String base;

    private ConsoleBrowser(ChromeDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    /** A browser window of width x height CSS pixels on the console at {@code base} (http://127.0.0.1:port). */
    public static ConsoleBrowser open(String base, int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // Root in a container has no user namespace for the sandbox; /dev/shm is small in containers.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + width + "," + height, "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--lang=en-GB");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
        return new ConsoleBrowser(driver, base);
    }

    /** Loads base + path (such as "/#/jobs") and waits for the console's script to have run. */
    public ConsoleBrowser go(String path) {
        driver.get(base + path);
        return this;
    }

    public ChromeDriver driver() {
        return driver;
    }

    public WebElement find(By by) {
        return driver.findElement(by);
    }

    public List<WebElement> findAll(By by) {
        return driver.findElements(by);
    }

    public Object script(String javascript, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(javascript, arguments);
    }

    /** Waits up to {@code deadline} for the condition; fails with {@code what} and the page's console log. */
    public <T> T await(ExpectedCondition<T> condition, Duration deadline, String what) {
        try {
            return new WebDriverWait(driver, deadline, Duration.ofMillis(100)).withMessage(() -> what + pageLog())
                    .until(condition);
        } catch (RuntimeException failure) {
            screenshot("failed-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
            throw failure;
        }
    }

    /** Waits for an element matching {@code by} that is displayed. */
    public WebElement awaitVisible(By by, Duration deadline) {
        return await(d -> d.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null),
                deadline, "visible " + by);
    }

    /** Saves target/console-screenshots/{name}.png and returns its path. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("screenshot " + name + " failed: " + e, e);
        }
    }

    /** What the page wrote to its console so far, for failure messages. */
    public String pageLog() {
        StringBuilder log = new StringBuilder();
        try {
            for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
                log.append("\n  [").append(entry.getLevel()).append("] ").append(entry.getMessage());
            }
        } catch (RuntimeException unavailable) {
            log.append("\n  (browser log unavailable: ").append(unavailable.getMessage()).append(')');
        }
        return log.length() == 0 ? "" : "; page console:" + log;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
