package io.geoetl.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import io.geoetl.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** Files uploaded from the console (picked or dropped) become auto-ingest jobs the page follows to completed. */
class UploadConsoleIT extends IntegrationTest {

    private static final Duration PAGE = Duration.ofSeconds(20);
    private static final Duration INGEST = Duration.ofSeconds(120);
    private static final String GEOJSON = "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
            + "\"properties\": {\"n\": 1}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [6, 50]}}]}";

    @TempDir
    Path temp;

    @Test
    void aPickedAndADroppedGeoJsonEachBecomeACompletedIngestJob() throws IOException {
        String folder = "console-" + UUID.randomUUID().toString().substring(0, 8);
        for (int width : new int[] {1280, 390}) {
            // Auto-ingest names the table after the file, so each file has a name of its own.
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            Path picked = temp.resolve("picked_" + suffix + ".geojson");
            Files.writeString(picked, GEOJSON, StandardCharsets.UTF_8);
            String widthFolder = folder + "/w" + width;
            try (ConsoleBrowser browser = ConsoleBrowser.open("http://127.0.0.1:" + port, width, 900)) {
                browser.go("/#/upload");
                browser.awaitVisible(By.id("upload-folder"), PAGE).sendKeys(widthFolder);

                browser.find(By.id("upload-files")).sendKeys(picked.toString());
                String pickedName = widthFolder + "/" + picked.getFileName();
                WebElement pickedRow = browser.awaitVisible(By.cssSelector("li[data-name='" + pickedName
                        + "'][data-job-status='completed']"), INGEST);
                String pickedJob = pickedRow.getAttribute("data-job-id");
                assertThat(get("/api/jobs/status/" + pickedJob).body()).containsEntry("status", "completed")
                        .containsEntry("job_type", "process_vector");
                assertThat(pickedRow.findElement(By.cssSelector("a")).getAttribute("href")).endsWith("#/jobs/"
                        + pickedJob);

                browser.script("const zone = document.getElementById('dropzone');"
                        + "const transfer = new DataTransfer();"
                        + "transfer.items.add(new File([arguments[0]], arguments[1], {type: 'application/geo+json'}));"
                        + "zone.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));",
                        GEOJSON, "dropped_" + suffix + ".geojson");
                String droppedName = widthFolder + "/dropped_" + suffix + ".geojson";
                WebElement droppedRow = browser.awaitVisible(By.cssSelector("li[data-name='" + droppedName
                        + "'][data-job-status='completed']"), INGEST);
                assertThat(get("/api/jobs/status/" + droppedRow.getAttribute("data-job-id")).body())
                        .containsEntry("status", "completed");

                // The same name again without "replace" is refused with a way to replace it.
                browser.find(By.id("upload-files")).sendKeys(picked.toString());
                WebElement refused = browser.awaitVisible(By.cssSelector("li[data-name='" + pickedName
                        + "'][data-state='refused']"), PAGE);
                assertThat(refused.getText()).contains("already exists");
                assertThat(refused.findElements(By.cssSelector("button.replace"))).hasSize(1);
                browser.screenshot("upload-results-" + width);
            }
        }
    }
}
