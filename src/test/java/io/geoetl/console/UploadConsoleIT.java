package io.geoetl.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.geoetl.IntegrationTest;
import io.geoetl.catalog.Samples;
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
                if (width == 1280) {
                    assertFootprintOnTheMap(browser, pickedJob);
                    browser.go("/#/upload");
                    browser.awaitVisible(By.id("upload-folder"), PAGE).sendKeys(widthFolder);
                }

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

    /** The uploaded file's table has its STAC item in the vectors collection, drawn on the catalog's map. */
    @SuppressWarnings("unchecked")
    private void assertFootprintOnTheMap(ConsoleBrowser browser, String jobId) {
        Map<String, Object> result = (Map<String, Object>) get("/api/jobs/status/" + jobId).body().get("result_data");
        String item = "vectors/" + result.get("item_id");
        browser.go("/#/catalog");
        WebElement vectors = browser.awaitVisible(By.cssSelector("button[data-collection='vectors']"), PAGE);
        browser.script("arguments[0].scrollIntoView({block: 'center'})", vectors);
        vectors.click();
        WebElement footprint = browser.awaitVisible(By.cssSelector("path.footprint[data-item='" + item + "']"), PAGE);
        assertThat(footprint.getAttribute("d")).as("the footprint's SVG path").isNotBlank();
        browser.screenshot("upload-footprint-1280");
    }

    @Test
    void aDroppedShapefileGoesUpWithItsShpLastAndBecomesOneCompletedJob() throws IOException {
        String folder = "console-shp-" + UUID.randomUUID().toString().substring(0, 8);
        String stem = "counties_" + UUID.randomUUID().toString().substring(0, 8);
        String base = Samples.NC_SHP.toString().substring(0, Samples.NC_SHP.toString().length() - 4);
        // Dropped with the .shp first; the page sends it last, so auto-ingest never lists it waiting.
        List<String> dropped = List.of("shp", "shx", "dbf", "prj");
        StringBuilder files = new StringBuilder();
        Object[] contents = new Object[dropped.size()];
        for (int i = 0; i < dropped.size(); i++) {
            contents[i] = Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(base + "." + dropped.get(i))));
            files.append("transfer.items.add(new File([Uint8Array.from(atob(arguments[").append(i)
                    .append("]), c => c.charCodeAt(0))], '").append(stem).append('.').append(dropped.get(i))
                    .append("', {type: 'application/octet-stream'}));");
        }
        try (ConsoleBrowser browser = ConsoleBrowser.open("http://127.0.0.1:" + port, 1280, 900)) {
            browser.go("/#/upload");
            browser.awaitVisible(By.id("upload-folder"), PAGE).sendKeys(folder);
            browser.script("const transfer = new DataTransfer();" + files
                    + "document.getElementById('dropzone').dispatchEvent(new DragEvent('drop', "
                    + "{dataTransfer: transfer, bubbles: true, cancelable: true}));", contents);

            String shp = folder + "/" + stem + ".shp";
            WebElement row = browser.awaitVisible(By.cssSelector("li[data-name='" + shp
                    + "'][data-job-status='completed']"), INGEST);
            assertThat(get("/api/jobs/status/" + row.getAttribute("data-job-id")).body())
                    .containsEntry("status", "completed").containsEntry("job_type", "process_vector");
            // The sidecars were each skipped as sidecars, the .shp submitted once and never left waiting.
            assertThat(jdbc.queryForList("select status from ingest_event where name = ?", String.class,
                    "auto-ingest/" + shp)).containsExactly("submitted");
            assertThat(browser.find(By.cssSelector("li[data-name='" + folder + "/" + stem + ".dbf']")).getText())
                    .contains("sidecar");
            assertThat(jdbc.queryForObject("select count(*) from geo." + stem, Integer.class)).isEqualTo(100);
            browser.screenshot("upload-shapefile-1280");
        }
    }
}
