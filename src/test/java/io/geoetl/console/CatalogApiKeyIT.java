package io.geoetl.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import io.geoetl.IntegrationTest;
import io.geoetl.catalog.StacItems;
import io.geoetl.stac.StacRepository;
import io.geoetl.storage.BlobStore;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * With an API key configured, the catalog (open) shows without asking; the thumbnail (asset bytes, which
 * need the key) makes the console ask once, keep the key in sessionStorage and never in a cookie, and load
 * the image with it. The properties are exactly ProtectedApiIT's, so both classes share one Spring context
 * (no worker, no ingest): the item is catalogued here directly, with a thumbnail made by this test.
 */
@TestPropertySource(properties = {"geoetl.api.api-key=" + CatalogApiKeyIT.KEY, "server.address=0.0.0.0",
        "geoetl.roles.worker=false", "geoetl.roles.ingest=false", "geoetl.ingest.enabled=false",
        "geoetl.ingest.prefix=protected-uploads/"})
class CatalogApiKeyIT extends IntegrationTest {

    /** ProtectedApiIT.KEY: the same value keeps the two classes on one context. */
    static final String KEY = "protected-api-test-key";

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    BlobServiceClient blobService;

    @Autowired
    BlobStore blobs;

    @Autowired
    StacRepository stac;

    @Test
    void theConsoleAsksForTheKeyOnceKeepsItInSessionStorageAndTheThumbnailLoadsWithIt() throws IOException {
        String collection = unique("console-keyed");
        String blob = collection + "/item-thumbnail.png";
        byte[] png = png(64, 48);
        blobService.getBlobContainerClient("silver").getBlobClient(blob).upload(BinaryData.fromBytes(png), true);
        blobService.getBlobContainerClient("silver").getBlobClient(blob)
                .setHttpHeaders(new BlobHttpHeaders().setContentType("image/png"));
        stac.ensureCollection(collection, StacItems.collection(collection, "keyed console test"));
        Map<String, Object> item = new LinkedHashMap<>(Map.of("type", "Feature", "stac_version", "1.0.0",
                "id", "keyed", "collection", collection,
                "geometry", Map.of("type", "Polygon", "coordinates", List.of(List.of(List.of(6, 50), List.of(7, 50),
                        List.of(7, 51), List.of(6, 51), List.of(6, 50)))),
                "bbox", List.of(6, 50, 7, 51), "properties", Map.of("datetime", "2024-01-01T00:00:00Z"),
                "assets", new LinkedHashMap<>()));
        StacItems.addThumbnail(item, blobs.url("silver", blob));
        stac.upsertItem(collection, item);

        assertThat(get("/console/config.json").body()).containsEntry("api_key_required", true)
                .doesNotContainValue(KEY);
        String thumbnailPath = "/api/stac/collections/" + collection + "/items/keyed/assets/thumbnail";
        assertThat(get(thumbnailPath).status()).isEqualTo(401);

        try (ConsoleBrowser browser = ConsoleBrowser.open("http://127.0.0.1:" + port, 1280, 900)) {
            browser.go("/#/catalog");
            // The catalog is open: the collections show without a key.
            CatalogMapIT.clickInView(browser,
                    browser.awaitVisible(By.cssSelector("button[data-collection='" + collection + "']"), WAIT));
            browser.awaitVisible(By.cssSelector("path.footprint[data-item='" + collection + "/keyed']"), WAIT);
            assertThat(browser.find(By.id("key-dialog")).isDisplayed()).isFalse();

            browser.awaitVisible(By.cssSelector("button.item-button[data-item='" + collection + "/keyed']"), WAIT)
                    .click();
            WebElement input = browser.awaitVisible(By.id("key-input"), WAIT);
            browser.screenshot("catalog-key-asked-1280");
            input.sendKeys(KEY);
            browser.find(By.cssSelector("#key-form button[type='submit']")).click();

            WebElement thumbnail = browser.awaitVisible(By.cssSelector("#item-details img.thumbnail"), WAIT);
            browser.await(d -> ((Number) browser.script("return arguments[0].naturalWidth", thumbnail)).intValue()
                    == 64, WAIT, "the thumbnail to load with the key");
            assertThat(browser.script("return sessionStorage.getItem('geoetl.apiKey')")).isEqualTo(KEY);
            assertThat((String) browser.script("return document.cookie")).doesNotContain(KEY);

            // Once: a reload (same tab) and another protected read do not ask again.
            browser.driver().navigate().refresh();
            WebElement again = browser.awaitVisible(By.cssSelector("#item-details img.thumbnail"), WAIT);
            browser.await(d -> ((Number) browser.script("return arguments[0].naturalWidth", again)).intValue() == 64,
                    WAIT, "the thumbnail to load after a reload");
            assertThat(browser.find(By.id("key-dialog")).isDisplayed()).isFalse();
            assertThat((String) browser.script("return document.cookie")).doesNotContain(KEY);
            browser.screenshot("catalog-item-with-key-1280");
        }
    }

    /** A PNG of a colour gradient, so that a decoded image is recognisably this one. */
    private static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, new Color(x * 255 / width, y * 255 / height, 120).getRGB());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
