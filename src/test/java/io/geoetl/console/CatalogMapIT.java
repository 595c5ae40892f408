package io.geoetl.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.imageio.ImageIO;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.core.util.BinaryData;
import io.geoetl.IntegrationTest;
import io.geoetl.catalog.Samples;
import io.geoetl.catalog.StacItems;
import io.geoetl.stac.StacRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The console's catalog view on outputs geoetl made itself: a GeoJSON of two polygons in South America loaded
 * by process_vector (its item's footprint, and its rows through the features layer) and terra's elev.tif
 * (Luxembourg) by process_raster into a collection of this run (its item, thumbnail and a search by a box
 * drawn with the mouse). Both jobs run once for the class; every test only reads.
 */
class CatalogMapIT extends IntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Two squares near (-60, -20): far from the raster, so a box around one never holds the other. */
    private static final String GEOJSON = "{\"type\": \"FeatureCollection\", \"features\": ["
            + "{\"type\": \"Feature\", \"properties\": {\"name\": \"west <b>square</b>\", \"n\": 1}, \"geometry\": "
            + "{\"type\": \"Polygon\", \"coordinates\": [[[-61, -21], [-60.2, -21], [-60.2, -20.2], [-61, -20.2], "
            + "[-61, -21]]]}}, {\"type\": \"Feature\", \"properties\": {\"name\": \"east square\", \"n\": 2}, "
            + "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[-59.8, -21], [-59, -21], [-59, -20.2], "
            + "[-59.8, -20.2], [-59.8, -21]]]}}]}";

    private static Loaded loaded;

    /** What the class's two jobs made: the vector item and table, the raster collection and item. */
    private record Loaded(String table, String vectorItem, String rasterCollection, String rasterItem) {
    }

    @Autowired
    BlobServiceClient blobService;

    @Autowired
    StacRepository stac;

    @BeforeEach
    void load() {
        loadOnce();
    }

    private synchronized void loadOnce() {
        if (loaded != null) {
            return;
        }
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        BlobContainerClient bronze = blobService.getBlobContainerClient("bronze");
        bronze.getBlobClient("console-" + suffix + "/squares.geojson").upload(BinaryData.fromString(GEOJSON), true);
        bronze.getBlobClient("console-" + suffix + "/squares.geojson")
                .setHttpHeaders(new BlobHttpHeaders().setContentType("application/geo+json"));
        Samples.upload(bronze, "console-" + suffix + "/elev.tif", Samples.ELEV);
        String table = "console_squares_" + suffix;
        String rasterCollection = "console-" + suffix;
        String vectorJob = submit("process_vector", "{\"blob_name\": \"console-" + suffix + "/squares.geojson\", "
                + "\"target_table\": \"" + table + "\"}");
        String rasterJob = submit("process_raster", "{\"blob_name\": \"console-" + suffix + "/elev.tif\", "
                + "\"collection_id\": \"" + rasterCollection + "\"}");
        for (String job : List.of(vectorJob, rasterJob)) {
            Map<String, Object> status = awaitEnded(job, Duration.ofSeconds(120));
            assertThat(status.get("status")).as(status.toString()).isEqualTo("completed");
        }
        loaded = new Loaded("geo." + table, "geo." + table, rasterCollection, itemIdOf(rasterCollection));
    }

    @SuppressWarnings("unchecked")
    private String itemIdOf(String collection) {
        List<Map<String, Object>> items = (List<Map<String, Object>>) get("/api/stac/collections/" + collection
                + "/items").body().get("features");
        assertThat(items).hasSize(1);
        return (String) items.get(0).get("id");
    }

    private ConsoleBrowser browser(int width) {
        return ConsoleBrowser.open("http://127.0.0.1:" + port, width, width < 700 ? 844 : 900);
    }

    private static void chooseCollection(ConsoleBrowser browser, String collection) {
        clickInView(browser, browser.awaitVisible(By.cssSelector("button[data-collection='" + collection + "']"), WAIT));
    }

    /** Clicks an element after scrolling it into view inside its scrolling list (Selenium scrolls the page only). */
    static void clickInView(ConsoleBrowser browser, WebElement element) {
        browser.script("arguments[0].scrollIntoView({block: 'center'})", element);
        element.click();
    }

    private static WebElement awaitFootprint(ConsoleBrowser browser, String key) {
        return browser.awaitVisible(By.cssSelector("path.footprint[data-item='" + key + "']"), WAIT);
    }

    /**
     * Titles and descriptions come from files and callers: markup in them is shown as text, in the collection
     * list and in the footprint's tooltip (Leaflet writes a string tooltip as HTML).
     */
    @Test
    void markupInATitleIsShownAsTextInTheListAndTheFootprintsTooltip() {
        String collection = unique("console-markup");
        String markup = "<img src=x id=injected><b>bold</b>";
        stac.ensureCollection(collection, StacItems.collection(collection, markup));
        Map<String, Object> item = new LinkedHashMap<>(Map.of("type", "Feature", "stac_version", "1.0.0",
                "id", "marked", "collection", collection,
                "geometry", Map.of("type", "Polygon", "coordinates", List.of(List.of(List.of(20, 10), List.of(30, 10),
                        List.of(30, 20), List.of(20, 20), List.of(20, 10)))),
                "bbox", List.of(20, 10, 30, 20),
                "properties", Map.of("datetime", "2024-01-01T00:00:00Z", "title", markup),
                "assets", new LinkedHashMap<>()));
        stac.upsertItem(collection, item);

        try (ConsoleBrowser browser = browser(1280)) {
            browser.go("/#/catalog");
            chooseCollection(browser, collection);
            WebElement footprint = awaitFootprint(browser, collection + "/marked");
            new Actions(browser.driver()).moveToElement(footprint).perform();
            WebElement tooltip = browser.awaitVisible(By.cssSelector(".leaflet-tooltip"), WAIT);

            assertThat(tooltip.getText()).isEqualTo(markup);
            assertThat(tooltip.findElements(By.cssSelector("b, img"))).isEmpty();
            assertThat(browser.find(By.cssSelector("button[data-collection='" + collection + "']")).findElement(
                    By.xpath("./..")).getText()).contains(markup);
            assertThat(browser.findAll(By.id("injected"))).isEmpty();
        }
    }

    @Test
    void everyAnswerCarriesAContentSecurityPolicyAndTheConsolesConfigNamesNoTilesAndNoKey() {
        // The page under other spellings the servlet container also serves, and the API's answers.
        for (String path : List.of("/", "/index.html", "/console/app.js", "/console/config.json", "/index.html/",
                "//index.html", "/%69ndex.html", "/index.html;x", "/;x", "/api/health", "/api/jobs")) {
            Answer answer = get(path);
            String policy = answer.raw().headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(policy).as(path + " (" + answer.status() + ")").contains("default-src 'self'")
                    .contains("script-src 'self'").contains("img-src 'self' data: blob:;")
                    .doesNotContain("unsafe-eval").doesNotContain("script-src 'self' 'unsafe-inline'");
        }
        Answer config = get("/console/config.json");
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.body()).containsEntry("tile_url", null).containsEntry("api_key_required", false);
        assertThat(config.raw().headers().firstValue("Cache-Control").orElse("")).contains("no-store");
    }

    @Test
    void aProcessedVectorFilesFootprintIsOnTheMapAndItsRowsComeThroughTheFeaturesLayer() {
        try (ConsoleBrowser browser = browser(1280)) {
            browser.go("/#/catalog");
            chooseCollection(browser, "vectors");
            WebElement footprint = awaitFootprint(browser, "vectors/" + loaded.vectorItem());
            assertThat(footprint.getAttribute("class")).contains("footprint");
            browser.await(d -> d.findElement(By.id("map-status")).getText().contains("footprint"), WAIT,
                    "the map to say how many footprints it drew");
            browser.screenshot("catalog-footprints-1280");

            new Select(browser.find(By.id("features-collection"))).selectByValue(loaded.table());
            browser.await(d -> d.findElements(By.cssSelector("path.feature")).size() == 2, WAIT,
                    "both polygons of the table as features");
            browser.await(d -> d.findElement(By.id("features-status")).getText().startsWith("2 features"), WAIT,
                    "the features count");
            List<WebElement> features = browser.findAll(By.cssSelector("path.feature"));
            assertThat(features).allMatch(WebElement::isDisplayed);
            assertThat(features).extracting(f -> f.getAttribute("data-feature"))
                    .allMatch(id -> id.startsWith(loaded.table() + "/"));
            // The popup shows a property as text: the markup in the value stays visible characters.
            features.get(0).click();
            WebElement popup = browser.awaitVisible(By.cssSelector(".feature-popup"), WAIT);
            browser.await(d -> "1".equals(d.findElement(By.cssSelector(".leaflet-popup")).getCssValue("opacity")), WAIT, "the popup to finish fading in");
            assertThat(popup.getText()).contains("square");
            assertThat(popup.findElements(By.tagName("b"))).isEmpty();
            browser.screenshot("catalog-features-1280");
        }
    }

    @Test
    void aProcessedRastersItemOpensFromTheListWithTheThumbnailTheApiServes() throws Exception {
        String key = loaded.rasterCollection() + "/" + loaded.rasterItem();
        String thumbnailPath = "/api/stac/collections/" + loaded.rasterCollection() + "/items/" + loaded.rasterItem()
                + "/assets/thumbnail";
        HttpResponse<byte[]> served = HTTP.send(HttpRequest.newBuilder(uri(thumbnailPath)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(served.statusCode()).isEqualTo(200);

        try (ConsoleBrowser browser = browser(1280)) {
            browser.go("/#/catalog");
            chooseCollection(browser, loaded.rasterCollection());
            awaitFootprint(browser, key);
            // From the list with the keyboard: the item's button takes Enter.
            browser.awaitVisible(By.cssSelector("button.item-button[data-item='" + key + "']"), WAIT)
                    .sendKeys(Keys.ENTER);
            WebElement thumbnail = browser.awaitVisible(By.cssSelector("#item-details img.thumbnail"), WAIT);
            browser.await(d -> ((Number) browser.script("return arguments[0].naturalWidth", thumbnail)).intValue() > 0,
                    WAIT, "the thumbnail to load");
            assertThat(thumbnail.getAttribute("alt")).isEqualTo("Thumbnail of " + loaded.rasterItem());
            assertThat(browser.driver().getCurrentUrl()).endsWith("#/catalog/" + key);
            // The page's policy lets no script read a blob: URL, so the shown pixels are compared instead.
            @SuppressWarnings("unchecked")
            List<Number> shown = (List<Number>) browser.script("const img = arguments[0];"
                    + "const canvas = document.createElement('canvas'); canvas.width = img.naturalWidth;"
                    + "canvas.height = img.naturalHeight; const context = canvas.getContext('2d');"
                    + "context.drawImage(img, 0, 0); return [img.naturalWidth, img.naturalHeight,"
                    + "...context.getImageData(0, 0, canvas.width, canvas.height).data];", thumbnail);
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(served.body()));
            assertThat(List.of(shown.get(0).intValue(), shown.get(1).intValue())).containsExactly(png.getWidth(),
                    png.getHeight());
            int differing = 0;
            for (int y = 0; y < png.getHeight(); y++) {
                for (int x = 0; x < png.getWidth(); x++) {
                    // The raster's own samples: getRGB would convert grey levels through a colour space.
                    int[] sample = png.getRaster().getPixel(x, y, (int[]) null);
                    int bands = sample.length;
                    int red = sample[0];
                    int green = bands >= 3 ? sample[1] : sample[0];
                    int blue = bands >= 3 ? sample[2] : sample[0];
                    int alpha = bands == 2 ? sample[1] : bands == 4 ? sample[3] : 255;
                    int at = 2 + 4 * (y * png.getWidth() + x);
                    boolean same = shown.get(at + 3).intValue() == alpha && (alpha < 255
                            || shown.get(at).intValue() == red && shown.get(at + 1).intValue() == green
                            && shown.get(at + 2).intValue() == blue);
                    differing += same ? 0 : 1;
                }
            }
            assertThat(differing).as("pixels of the shown thumbnail that differ from the API's PNG").isZero();
            String details = browser.find(By.id("item-details")).getText();
            assertThat(details).contains("Coordinate system").contains("EPSG:4326").contains("Raster bands")
                    .contains("int16").contains("Download");
            browser.script("document.getElementById('item-details').scrollIntoView()");
            browser.screenshot("catalog-item-1280");

            // The address opens the same item after a reload.
            browser.driver().navigate().refresh();
            WebElement again = browser.awaitVisible(By.cssSelector("#item-details img.thumbnail"), WAIT);
            browser.await(d -> ((Number) browser.script("return arguments[0].naturalWidth", again)).intValue() > 0,
                    WAIT, "the thumbnail to load after a reload");
            assertThat(browser.find(By.id("item-title")).getText()).isEqualTo(loaded.rasterItem());
        }
    }

    @Test
    void aBoxDrawnWithTheMouseFindsTheItemInsideItAndNotTheOneOutside() {
        String inside = loaded.rasterCollection() + "/" + loaded.rasterItem();
        String outside = "vectors/" + loaded.vectorItem();
        try (ConsoleBrowser browser = browser(1280)) {
            browser.go("/#/catalog");
            chooseCollection(browser, loaded.rasterCollection());
            awaitFootprint(browser, inside);
            browser.await(d -> d.findElement(By.id("map-status")).getText().contains("1 footprint"), WAIT,
                    "the map to fit the raster's footprint");

            browser.find(By.id("draw-box")).click();
            WebElement map = browser.find(By.id("catalog-map"));
            Dimension size = map.getSize();
            int dx = size.getWidth() * 2 / 5;
            int dy = size.getHeight() * 2 / 5;
            new Actions(browser.driver()).moveToElement(map, -dx, -dy).clickAndHold().moveByOffset(dx, dy)
                    .moveByOffset(dx, dy).release().perform();
            browser.await(d -> !d.findElement(By.id("bbox-west")).getAttribute("value").isEmpty(), WAIT,
                    "the drawn box in the inputs");
            double west = Double.parseDouble(browser.find(By.id("bbox-west")).getAttribute("value"));
            double south = Double.parseDouble(browser.find(By.id("bbox-south")).getAttribute("value"));
            double east = Double.parseDouble(browser.find(By.id("bbox-east")).getAttribute("value"));
            double north = Double.parseDouble(browser.find(By.id("bbox-north")).getAttribute("value"));
            // elev.tif covers about 5.74..6.53 E, 49.44..50.19 N.
            assertThat(west).isBetween(0.0, 5.7);
            assertThat(east).isBetween(6.6, 12.0);
            assertThat(south).isBetween(45.0, 49.4);
            assertThat(north).isBetween(50.2, 54.0);
            assertThat(browser.findAll(By.cssSelector("path.search-box"))).hasSize(1);

            browser.find(By.id("search-button")).click();
            browser.awaitVisible(By.cssSelector("#items button.item-button[data-item='" + inside + "']"), WAIT);
            browser.await(d -> d.findElement(By.id("items-note")).getText().contains("found"), WAIT,
                    "the search to finish");
            assertThat(browser.findAll(By.cssSelector("#items [data-item='" + outside + "']"))).isEmpty();
            assertThat(browser.findAll(By.cssSelector("path.footprint[data-item='" + outside + "']"))).isEmpty();
            awaitFootprint(browser, inside);
            browser.screenshot("catalog-search-1280");

            // A time range that ends before the raster was catalogued finds nothing.
            browser.script("arguments[0].value = '2000-01-01'", browser.find(By.id("search-to")));
            browser.find(By.id("search-button")).click();
            browser.await(d -> d.findElement(By.id("items-note")).getText().equals("No item matches."), WAIT,
                    "an empty result for an old time range");
        }
    }

    @Test
    void atPhoneWidthTheViewsStayReadable() {
        String raster = loaded.rasterCollection() + "/" + loaded.rasterItem();
        try (ConsoleBrowser browser = browser(390)) {
            browser.go("/#/catalog");
            chooseCollection(browser, "vectors");
            awaitFootprint(browser, "vectors/" + loaded.vectorItem());
            browser.script("document.getElementById('catalog-map').scrollIntoView()");
            browser.screenshot("catalog-footprints-390");

            new Select(browser.find(By.id("features-collection"))).selectByValue(loaded.table());
            browser.await(d -> d.findElements(By.cssSelector("path.feature")).size() == 2, WAIT, "the features");
            browser.script("document.getElementById('catalog-map').scrollIntoView()");
            browser.screenshot("catalog-features-390");

            // Keyboard users type the box instead of drawing it.
            String[][] box = {{"bbox-west", "5"}, {"bbox-south", "49"}, {"bbox-east", "7"}, {"bbox-north", "51"}};
            for (String[] entry : box) {
                browser.find(By.id(entry[0])).sendKeys(entry[1]);
            }
            browser.find(By.id("search-button")).click();
            browser.awaitVisible(By.cssSelector("#items button.item-button[data-item='" + raster + "']"), WAIT);
            assertThat(browser.findAll(By.cssSelector("#items [data-item='vectors/" + loaded.vectorItem() + "']")))
                    .isEmpty();
            browser.script("document.getElementById('items-heading').scrollIntoView()");
            browser.screenshot("catalog-search-390");

            browser.go("/#/catalog/" + raster);
            WebElement thumbnail = browser.awaitVisible(By.cssSelector("#item-details img.thumbnail"), WAIT);
            browser.await(d -> ((Number) browser.script("return arguments[0].naturalWidth", thumbnail)).intValue() > 0,
                    WAIT, "the thumbnail at phone width");
            long overflow = (Long) browser.script("return document.documentElement.scrollWidth - window.innerWidth");
            assertThat(overflow).as("horizontal scrolling at 390 px").isLessThanOrEqualTo(0);
            browser.script("document.getElementById('item-details').scrollIntoView()");
            browser.screenshot("catalog-item-390");
        }
    }
}
