package io.geoetl.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.geoetl.orchestration.Json;
import io.geoetl.stac.StacValidator;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * V008 rewrites items stored with the projection extension v2.0.0 (proj:code only) to v1.2.0, which
 * GDAL's STACIT driver reads: proj:epsg from an EPSG proj:code, null beside proj:wkt2 otherwise, and
 * proj:bbox from the pixel grid where it was missing.
 */
class ProjectionUpgradeIT {

    private static final String V2 = "https://stac-extensions.github.io/projection/v2.0.0/schema.json";
    private static final String V1_2 = "https://stac-extensions.github.io/projection/v1.2.0/schema.json";
    private static final String FILE = "https://stac-extensions.github.io/file/v2.1.0/schema.json";

    @Test
    @SuppressWarnings("unchecked")
    void storedItemsGainProjEpsgAndBoundsAndValidateAsProjectionOneTwo() throws Exception {
        JdbcTemplate before = V005Database.recreate();
        before.update("insert into stac_collection (collection_id, document) values ('c', '{}')");
        // A UTM raster, north-up: 100 columns, 50 rows of 30 m from (500000, 4600000).
        store(before, "utm", List.of(V2, FILE), Map.of("datetime", "2024-01-01T00:00:00Z", "proj:code", "EPSG:32633",
                "proj:shape", List.of(50, 100), "proj:transform", List.of(30, 0, 500000, 0, -30, 4600000)));
        // A CRS without an EPSG code: proj:code null, the CRS as WKT2.
        Map<String, Object> local = new LinkedHashMap<>(Map.of("datetime", "2024-01-01T00:00:00Z",
                "proj:wkt2", "LOCAL_CS[\"engineering\"]", "proj:shape", List.of(10, 20),
                "proj:transform", List.of(1, 0, 0, 0, 1, 0)));
        local.put("proj:code", null);
        store(before, "local", List.of(V2), local);
        // A vector item: a code, no grid.
        store(before, "roads", List.of(V2, FILE), Map.of("datetime", "2024-01-01T00:00:00Z", "proj:code",
                "EPSG:4326"));
        // Written by something else: not this extension, left alone.
        store(before, "other", List.of(FILE), Map.of("datetime", "2024-01-01T00:00:00Z", "proj:code", "EPSG:4326"));

        // Odd documents geoetl never wrote must not stop the upgrade: they are upgraded as far as they can be.
        store(before, "lower", List.of(V2), Map.of("datetime", "2024-01-01T00:00:00Z", "proj:code", "epsg:3035",
                "proj:shape", List.of("x", "20"), "proj:transform", List.of(1, 0, 0, 0, 1, 0)));
        Map<String, Object> nulls = new LinkedHashMap<>(Map.of("datetime", "2024-01-01T00:00:00Z",
                "proj:code", "ESRI:102003", "proj:shape", List.of(10, 20)));
        nulls.put("proj:transform", Arrays.asList(1, null, 0, Map.of("a", 1), 1, 0));
        store(before, "nulls", List.of(V2), nulls);
        before.update("update stac_item set document = jsonb_set(document, '{stac_extensions}', to_jsonb(?::text)) "
                + "where item_id = 'other'", V2);

        JdbcTemplate after = V005Database.upgrade();

        Map<String, Object> utm = item(after, "utm");
        Map<String, Object> utmProperties = (Map<String, Object>) utm.get("properties");
        assertThat(utm.get("stac_extensions")).isEqualTo(List.of(V1_2, FILE));
        assertThat(utmProperties).containsEntry("proj:epsg", 32633).containsEntry("proj:code", "EPSG:32633");
        assertThat(numbers(utmProperties.get("proj:bbox"))).containsExactly(500000.0, 4598500.0, 503000.0, 4600000.0);
        Map<String, Object> localProperties = (Map<String, Object>) item(after, "local").get("properties");
        assertThat(localProperties).containsEntry("proj:epsg", null).containsEntry("proj:code", null)
                .containsEntry("proj:wkt2", "LOCAL_CS[\"engineering\"]");
        assertThat(numbers(localProperties.get("proj:bbox"))).containsExactly(0.0, 0.0, 20.0, 10.0);
        Map<String, Object> roads = (Map<String, Object>) item(after, "roads").get("properties");
        assertThat(roads).containsEntry("proj:epsg", 4326).doesNotContainKey("proj:bbox");
        assertThat((Map<String, Object>) item(after, "other").get("properties")).doesNotContainKey("proj:epsg");
        assertThat((Map<String, Object>) item(after, "lower").get("properties")).containsEntry("proj:epsg", 3035)
                .doesNotContainKey("proj:bbox");
        assertThat((Map<String, Object>) item(after, "nulls").get("properties")).containsEntry("proj:epsg", null)
                .containsEntry("proj:code", "ESRI:102003").doesNotContainKey("proj:bbox");

        StacValidator.assertValid(List.of(utm, item(after, "local"), item(after, "roads")));
    }

    private static List<Double> numbers(Object list) {
        return ((List<?>) list).stream().map(value -> ((Number) value).doubleValue()).toList();
    }

    private static void store(JdbcTemplate jdbc, String itemId, List<String> extensions,
            Map<String, Object> properties) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("type", "Feature");
        document.put("stac_version", "1.0.0");
        document.put("stac_extensions", extensions);
        document.put("id", itemId);
        document.put("geometry", Map.of("type", "Polygon", "coordinates", List.of(List.of(List.of(5, 49),
                List.of(6, 49), List.of(6, 50), List.of(5, 50), List.of(5, 49)))));
        document.put("bbox", List.of(5, 49, 6, 50));
        document.put("properties", properties);
        document.put("links", List.of());
        document.put("assets", Map.of("data", Map.of("href", "http://127.0.0.1:10000/devstoreaccount1/silver/x.tif",
                "roles", List.of("data"))));
        jdbc.update("insert into stac_item (collection_id, item_id, geometry, datetime, document) values ('c', ?, "
                + "ST_MakeEnvelope(5, 49, 6, 50, 4326), now(), ?::jsonb)", itemId, Json.write(document));
    }

    private static Map<String, Object> item(JdbcTemplate jdbc, String itemId) {
        return Json.readMap(jdbc.queryForObject("select document::text from stac_item where item_id = ?",
                String.class, itemId));
    }
}
