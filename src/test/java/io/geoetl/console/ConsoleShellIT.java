package io.geoetl.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.geoetl.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

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
}
