package io.geoetl.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.geoetl.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** The console's page at / loads its modules, Leaflet and the bundled world outline, with no network. */
class ConsoleShellIT extends IntegrationTest {

    @Test
    void theConsoleAnswersAtTheRootWithItsNavigation() {
        Answer page = get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.raw().body()).contains("/console/app.js").contains("/webjars/leaflet/1.9.4/dist/leaflet.js");
        assertThat(get("/webjars/leaflet/1.9.4/dist/leaflet.js").status()).isEqualTo(200);
        assertThat(get("/console/world-110m.geojson").status()).isEqualTo(200);

        try (ConsoleBrowser browser = ConsoleBrowser.open("http://127.0.0.1:" + port, 1280, 900)) {
            browser.go("/");
            browser.awaitVisible(By.cssSelector("nav a[data-nav='jobs'][aria-current='page']"), Duration.ofSeconds(20));
            assertThat(browser.script("return typeof L === 'object' && L.version")).isEqualTo("1.9.4");
            browser.screenshot("shell");
        }
    }

    /**
     * A view still loading when the user moves on never replaces the one shown after it: here the catalog
     * is left for the jobs list 15 ms after it was asked for, before its module has loaded: the module, once
     * loaded, draws nothing.
     */
    @Test
    void aViewLeftWhileLoadingDoesNotReplaceTheNextOne() {
        try (ConsoleBrowser browser = ConsoleBrowser.open("http://127.0.0.1:" + port, 1280, 900)) {
            browser.go("/#/submit");
            browser.awaitVisible(By.cssSelector("nav a[data-nav='submit'][aria-current='page']"), Duration.ofSeconds(20));
            browser.script("performance.clearResourceTimings(); location.hash = '#/catalog';"
                    + "setTimeout(() => { location.hash = '#/jobs'; }, 15);");
            browser.await(driver -> Boolean.TRUE.equals(browser.script("return performance.getEntriesByType('resource')"
                    + ".some(e => e.name.endsWith('/console/catalog.js'))")), Duration.ofSeconds(20),
                    "the catalog view's module to have loaded");
            browser.awaitVisible(By.cssSelector("nav a[data-nav='jobs'][aria-current='page']"), Duration.ofSeconds(20));
            browser.await(driver -> browser.findAll(By.cssSelector("#view h1")).stream()
                    .anyMatch(h1 -> h1.getText().equals("Jobs")), Duration.ofSeconds(20), "the jobs list");

            assertThat(browser.findAll(By.cssSelector("#view > .view"))).hasSize(1);
            assertThat(browser.findAll(By.cssSelector(".leaflet-container"))).isEmpty();
            assertThat(browser.script("return location.hash")).isEqualTo("#/jobs");
        }
    }

    /** The skip link moves the focus to the content and leaves the route alone. */
    @Test
    void theSkipLinkFocusesTheContentWithoutChangingTheView() {
        try (ConsoleBrowser browser = ConsoleBrowser.open("http://127.0.0.1:" + port, 1280, 900)) {
            browser.go("/#/submit");
            browser.awaitVisible(By.cssSelector("nav a[data-nav='submit'][aria-current='page']"), Duration.ofSeconds(20));
            WebElement skip = browser.find(By.cssSelector("a.skip"));
            browser.script("arguments[0].focus()", skip);
            skip.sendKeys(Keys.ENTER);

            browser.await(driver -> "view".equals(browser.script("return document.activeElement.id")),
                    Duration.ofSeconds(5), "the focus on the content");
            assertThat(browser.script("return location.hash")).isEqualTo("#/submit");
            assertThat(browser.find(By.cssSelector("nav a[data-nav='submit']")).getAttribute("aria-current"))
                    .isEqualTo("page");
        }
    }
}
