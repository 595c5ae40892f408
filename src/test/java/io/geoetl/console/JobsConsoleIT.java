package io.geoetl.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.geoetl.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** The live jobs list with its progress bars and filters, and cancelling a running job from its page. */
class JobsConsoleIT extends IntegrationTest {

    private static final Duration PAGE = Duration.ofSeconds(20);

    @Test
    void aRunningJobIsCancelledFromItsPageAfterAConfirmation() {
        // Its one greeting hangs on its first attempt, so the job stays processing until cancelled.
        String jobId = submit("hello_world", "{\"n\": 1, \"hang_attempts\": 1, \"message\": \"" + unique("cancel")
                + "\"}");
        try (ConsoleBrowser browser = ConsoleBrowser.open("http://127.0.0.1:" + port, 1280, 900)) {
            browser.go("/#/jobs/" + jobId);
            WebElement cancel = browser.awaitVisible(By.id("action-cancel"), PAGE);
            assertThat(browser.findAll(By.id("action-resubmit"))).isEmpty();
            cancel.click();
            browser.await(ExpectedConditions.alertIsPresent(), PAGE, "the confirmation").accept();

            browser.awaitVisible(By.cssSelector(".view[data-job-status='cancelled']"), PAGE);
            assertThat(get("/api/jobs/status/" + jobId).body()).containsEntry("status", "cancelled");
            assertThat(browser.find(By.id("action-note")).getText()).contains("cancelled");
            assertThat(browser.find(By.id("job-errors")).getText()).contains("cancelled by request");
            // A cancelled job can neither be cancelled again, retried nor resubmitted (JobControl).
            browser.await(d -> browser.findAll(By.cssSelector("#job-actions button")).isEmpty(), PAGE,
                    "no actions left for a cancelled job");
            browser.screenshot("job-cancelled-1280");
        }
    }

    @Test
    void anActionTheApiRefusesShowsTheApisMessage() {
        String jobId = submit("hello_world", "{\"n\": 1, \"hang_attempts\": 1, \"message\": \"" + unique("refused")
                + "\"}");
        try (ConsoleBrowser browser = ConsoleBrowser.open("http://127.0.0.1:" + port, 1280, 900)) {
            browser.go("/#/jobs/" + jobId);
            WebElement cancel = browser.awaitVisible(By.id("action-cancel"), PAGE);
            // Someone else cancels the job between the page's last refresh and the click: while the user
            // confirms, a synchronous request from the same page cancels it, so the page's own POST gets 409.
            browser.script("window.confirm = () => {"
                    + "const other = new XMLHttpRequest();"
                    + "other.open('POST', '/api/jobs/' + arguments[0] + '/cancel', false);"
                    + "other.setRequestHeader('Content-Type', 'application/json');"
                    + "other.send();"
                    + "return true; };", jobId);
            cancel.click();
            WebElement note = browser.awaitVisible(By.cssSelector("#action-note.error"), PAGE);
            assertThat(note.getText()).contains("The API refused to cancel").contains("cannot cancel job " + jobId
                    + " in status cancelled");
            assertThat(get("/api/jobs/status/" + jobId).body()).containsEntry("status", "cancelled");
            browser.screenshot("job-action-refused-1280");
        }
    }

    @Test
    void aFailedJobShowsItsErrorsInWordsAndOffersRetryAndResubmit() {
        String jobId = submit("hello_world", "{\"n\": 2, \"fail_keys\": [\"hello_1\"], \"message\": \""
                + unique("failing") + "\"}");
        assertThat(awaitEnded(jobId, Duration.ofSeconds(60))).containsEntry("status", "failed");
        for (int width : new int[] {1280, 390}) {
            try (ConsoleBrowser browser = ConsoleBrowser.open("http://127.0.0.1:" + port, width, 900)) {
                browser.go("/#/jobs/" + jobId);
                WebElement message = browser.awaitVisible(By.cssSelector("#job-errors .job-error-message"), PAGE);
                assertThat(message.getText()).contains("failed");
                assertThat(browser.findAll(By.id("action-retry"))).hasSize(1);
                assertThat(browser.findAll(By.id("action-resubmit"))).hasSize(1);
                assertThat(browser.findAll(By.id("action-cancel"))).isEmpty();
                new Select(browser.find(By.id("task-status"))).selectByValue("failed");
                browser.await(d -> browser.findAll(By.cssSelector("#tasks-table tbody tr")).size() == 1
                        && browser.findAll(By.cssSelector("#tasks-table tbody tr[data-status='failed']")).size() == 1,
                        PAGE, "only the failed task under the failed filter");
                assertThat(browser.find(By.cssSelector("#tasks-table tr[data-status='failed']")).getText())
                        .contains("hello_1");
                // The task's error is its message in words, not a JSON document.
                assertThat(browser.find(By.cssSelector("#tasks-table tr[data-status='failed'] td .error")).getText())
                        .contains("hello_1").doesNotStartWith("{");
                browser.screenshot("job-failed-" + width);
            }
        }
    }

    @Test
    void theListShowsProgressBarsAndFiltersByStatusKeepingTheFilterInTheUrl() {
        String completed = submit("hello_world", "{\"n\": 1, \"message\": \"" + unique("listed") + "\"}");
        String running = submit("hello_world", "{\"n\": 3, \"sleep_ms\": 15000, \"message\": \"" + unique("listed")
                + "\"}");
        awaitEnded(completed, Duration.ofSeconds(60));
        for (int width : new int[] {1280, 390}) {
            try (ConsoleBrowser browser = ConsoleBrowser.open("http://127.0.0.1:" + port, width, 900)) {
                browser.go("/#/jobs");
                browser.awaitVisible(By.cssSelector("tr[data-job-id='" + completed + "']"), PAGE);
                browser.awaitVisible(By.cssSelector("tr[data-job-id='" + running + "']"), PAGE);
                WebElement bar = browser.find(By.cssSelector("tr[data-job-id='" + completed + "'] progress"));
                assertThat(bar.getAttribute("value")).isEqualTo("100");
                assertThat(bar.getAttribute("aria-label")).contains("hello_world").contains("100%");
                assertThat(browser.find(By.cssSelector("tr[data-job-id='" + completed + "'] .job-stage")).getText())
                        .isEqualTo("stage 2 of 2: reply");
                assertThat(browser.find(By.cssSelector("tr[data-job-id='" + running + "'] .job-status")).getText())
                        .isIn("queued", "processing");
                browser.screenshot("jobs-list-" + width);

                Select status = new Select(browser.find(By.id("filter-status")));
                status.selectByValue("completed");
                browser.await(d -> browser.findAll(By.cssSelector("tr[data-job-id='" + running + "']")).isEmpty(),
                        PAGE, "the running job to leave the completed list");
                List<WebElement> rows = browser.findAll(By.cssSelector("#jobs-table tbody tr"));
                assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row.getAttribute("data-status"))
                        .isEqualTo("completed"));
                assertThat((String) browser.script("return location.hash")).isEqualTo("#/jobs?status=completed");
                // The refresh replaces rows in place: the select keeps the keyboard focus.
                assertThat(browser.script("return document.activeElement.id")).isEqualTo("filter-status");

                // A reload of the filtered URL shows the same filter.
                browser.go("/#/jobs?status=processing&job_type=hello_world");
                browser.awaitVisible(By.cssSelector("tr[data-job-id='" + running + "']"), PAGE);
                assertThat(browser.findAll(By.cssSelector("#jobs-table tbody tr"))).allSatisfy(row ->
                        assertThat(row.getAttribute("data-status")).isEqualTo("processing"));
                assertThat(new Select(browser.find(By.id("filter-status"))).getFirstSelectedOption().getText())
                        .isEqualTo("processing");
                browser.await(d -> "hello_world".equals(new Select(browser.find(By.id("filter-type")))
                        .getFirstSelectedOption().getAttribute("value")), PAGE, "the type filter from the URL");
            }
        }
        assertThat(post("/api/jobs/" + running + "/cancel", "").status()).isEqualTo(200);
    }
}
