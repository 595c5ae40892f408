package io.geoetl.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * V007 fills the registry of outputs of an existing installation from its catalog: who owns each item
 * and table, and which blobs in silver geoetl wrote, for Azure's and Azurite's blob URLs alike.
 */
class RegistryBackfillIT {

    @Test
    void anUpgradedCatalogRegistersItsItemsTablesAndSilverBlobs() {
        JdbcTemplate before = V005Database.recreate();
        before.execute("create schema geo");
        before.execute("create table geo.roads (id int)");
        before.update("insert into job (job_id, job_type, status, total_stages, parameters, result_data, ended_at) "
                + "values (?, 'process_vector', 'completed', 3, '{\"container\": \"bronze\", \"blob_name\": "
                + "\"teamA/roads.geojson\", \"source_etag\": \"0x1\"}', '{\"table\": \"geo.roads\"}', now())",
                "a".repeat(64));
        for (String collection : new String[] {"rasters", "rasters-a__dem", "vectors", "dems"}) {
            before.update("insert into stac_collection (collection_id, document) values (?, '{}')", collection);
        }
        item(before, "rasters", "x__elev", "{\"geoetl:source\": \"bronze/x/elev.tif\"}",
                "http://127.0.0.1:10000/devstoreaccount1/silver/rasters/x__elev.tif");
        for (String tile : new String[] {"tile_x0_y0", "tile_x1_y0"}) {
            item(before, "rasters-a__dem", "a__dem-" + tile, "{\"geoetl:source\": \"bronze/a/dem.tif\"}",
                    "https://account.blob.core.windows.net/silver/rasters/a__dem/" + tile + ".tif");
        }
        item(before, "vectors", "geo.roads", "{\"geoetl:table\": \"geo.roads\"}",
                "http://127.0.0.1:10000/devstoreaccount1/silver/_intermediate/abc/roads%20x.pgcopy.zst");
        item(before, "vectors", "geo.gone", "{\"geoetl:table\": \"geo.gone\"}",
                "http://127.0.0.1:10000/devstoreaccount1/silver/_intermediate/abc/bad%C3.pgcopy.zst");
        item(before, "dems", "dem__elev", "{}", "http://127.0.0.1:10000/devstoreaccount1/bronze/dem/elev.tif");

        JdbcTemplate after = V005Database.upgrade();
        assertThat(after.queryForList("select target_kind || ' ' || target_name || ' ' || coalesce(source_container "
                + "|| '/' || source_blob, '?') from output_target order by 1", String.class)).containsExactly(
                        "item dems/dem__elev ?",
                        "item rasters/a__dem bronze/a/dem.tif",
                        "item rasters/x__elev bronze/x/elev.tif",
                        "item vectors/geo.gone ?",
                        "item vectors/geo.roads ?",
                        "table geo.roads bronze/teamA/roads.geojson");
        assertThat(after.queryForObject("select job_id from output_target where target_name = 'geo.roads'",
                String.class)).isEqualTo("a".repeat(64));
        assertThat(after.queryForList("select container || '/' || name || ' ' || target_name from output_blob "
                + "order by 1", String.class)).containsExactly(
                        "silver/_intermediate/abc/bad%C3.pgcopy.zst vectors/geo.gone",
                        "silver/_intermediate/abc/roads x.pgcopy.zst vectors/geo.roads",
                        "silver/rasters/a__dem/mosaic.vrt rasters/a__dem",
                        "silver/rasters/a__dem/tile_x0_y0.tif rasters/a__dem",
                        "silver/rasters/a__dem/tile_x1_y0.tif rasters/a__dem",
                        "silver/rasters/x__elev.tif rasters/x__elev");
    }

    private static void item(JdbcTemplate jdbc, String collection, String itemId, String properties, String href) {
        jdbc.update("insert into stac_item (collection_id, item_id, geometry, datetime, document) values (?, ?, "
                + "ST_MakeEnvelope(5, 49, 6, 50, 4326), now(), jsonb_build_object('properties', ?::jsonb, 'assets', "
                + "jsonb_build_object('data', jsonb_build_object('href', ?::text))))", collection, itemId, properties,
                href);
    }
}
