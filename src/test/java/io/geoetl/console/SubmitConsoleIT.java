package io.geoetl.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import io.geoetl.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The submit form is built from the job type's parameter schema; a submitted hello_world is followed on its job
 * page until completed, and a value the API refuses is shown next to its field.
 */
class SubmitConsoleIT extends IntegrationTest {

    private static final Duration PAGE = Duration.ofSeconds(20);

    @Test
    void aHelloWorldSubmittedFromTheFormReachesCompletedOnItsJobPage() {
        try (ConsoleBrowser browser = ConsoleBrowser.open("http://127.0.0.1:" + port, 1280, 900)) {
            browser.go("/#/submit/hello_world");
            WebElement n = browser.awaitVisible(By.id("param-n"), PAGE);
            // The schema's enum is a select, its description a hint, its default a placeholder.
            assertThat(browser.find(By.id("param-failure_policy")).getTagName()).isEqualTo("select");
            assertThat(browser.find(By.id("param-n-hint")).getText()).contains("number of greeting tasks");
            n.sendKeys("2");
            browser.find(By.id("param-message")).sendKeys(unique("console-submit"));
            browser.find(By.id("param-sleep_ms")).sendKeys("3000");
            browser.find(By.id("submit-button")).click();

            String jobId = browser.await(d -> {
                String hash = (String) browser.script("return location.hash");
                return hash.startsWith("#/jobs/") ? hash.substring("#/jobs/".length()) : null;
            }, PAGE, "the job page after submitting");
            browser.awaitVisible(By.cssSelector("#stages li.stage-processing"), PAGE);
            assertThat(browser.find(By.cssSelector(".job-summary .status")).getText()).isEqualTo("processing");
            browser.screenshot("job-running-1280");

            browser.awaitVisible(By.cssSelector(".view[data-job-status='completed']"), Duration.ofSeconds(60));
            Map<String, Object> status = get("/api/jobs/status/" + jobId).body();
            assertThat(status).containsEntry("status", "completed");
            assertThat(browser.find(By.cssSelector(".job-summary .status")).getText()).isEqualTo("completed");
            assertThat(browser.findAll(By.cssSelector("#stages li.stage-completed"))).hasSize(2);
            assertThat(browser.find(By.id("stages")).getText()).contains("Stage 1: greet").contains("Stage 2: reply")
                    .contains("took");
            browser.await(d -> browser.findAll(By.cssSelector("#tasks-table tbody tr[data-status='completed']"))
                    .size() == 4, PAGE, "the four completed tasks in the tasks table");
            assertThat(browser.find(By.id("job-progress")).getAttribute("value")).isEqualTo("100");
            // A completed job can be resubmitted, not cancelled or retried: the API's own rules.
            assertThat(browser.findAll(By.id("action-resubmit"))).hasSize(1);
            assertThat(browser.findAll(By.id("action-cancel"))).isEmpty();
            assertThat(browser.findAll(By.id("action-retry"))).isEmpty();
            browser.screenshot("job-completed-1280");
        }
    }

    @Test
    void aValueTheApiRefusesIsShownNextToItsFieldWhichGetsTheFocus() {
        for (int width : new int[] {1280, 390}) {
            try (ConsoleBrowser browser = ConsoleBrowser.open("http://127.0.0.1:" + port, width, 900)) {
                browser.go("/#/submit");
                browser.awaitVisible(By.cssSelector("ul.job-types a[href='#/submit/hello_world']"), PAGE).click();
                browser.screenshot("submit-form-" + width);
                browser.awaitVisible(By.id("param-n"), PAGE).sendKeys("1000000");
                browser.find(By.id("submit-button")).click();

                WebElement error = browser.awaitVisible(By.id("param-n-error"), PAGE);
                assertThat(error.getText()).contains("n");
                assertThat(error.getText()).contains("100000");
                assertThat(browser.script("return document.activeElement.id")).isEqualTo("param-n");
                assertThat(browser.find(By.id("submit-error")).getText()).isEmpty();
                assertThat((String) browser.script("return location.hash")).isEqualTo("#/submit/hello_world");
                browser.screenshot("submit-error-" + width);
            }
        }
    }

    @Test
    void theJobPageAt390PixelsShowsARunningAndThenACompletedJob() {
        String jobId = submit("hello_world", "{\"n\": 2, \"sleep_ms\": 2500, \"message\": \"" + unique("narrow") + "\"}");
        try (ConsoleBrowser browser = ConsoleBrowser.open("http://127.0.0.1:" + port, 390, 900)) {
            browser.go("/#/jobs/" + jobId);
            browser.awaitVisible(By.cssSelector("#stages li.stage-processing"), PAGE);
            assertThat(browser.find(By.id("stages")).getText()).contains("running for");
            browser.screenshot("job-running-390");
            browser.awaitVisible(By.cssSelector(".view[data-job-status='completed']"), Duration.ofSeconds(60));
            assertThat(get("/api/jobs/status/" + jobId).body()).containsEntry("status", "completed");
            browser.screenshot("job-completed-390");
        }
    }
}
