package io.geoetl.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.catalog.Samples;
import io.geoetl.orchestration.Json;
import io.geoetl.stac.StacValidator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The OGC API Features endpoint on a table loaded by process_vector (sf's nc.gpkg: 100 North Carolina
 * counties in NAD27, stored in EPSG:4326), read by GDAL's own OAPIF client and by plain HTTP.
 */
class FeaturesApiIT extends IntegrationTest {

    /** One load for the whole class: every test only reads it. */
    private static String loadedTable;

    @Autowired
    BlobServiceClient blobService;

    @Autowired
    FeatureTables tables;

    @Autowired
    FeatureRows rows;

    @Test
    @SuppressWarnings("unchecked")
    void gdalsOapifDriverReadsEveryFeatureWithTheTablesGeometries() throws Exception {
        String id = loaded();
        Path out = Files.createDirectories(Path.of("target", "features-it")).resolve(id + ".geojson");
        Files.deleteIfExists(out);

        String log = run("ogr2ogr", "-oo", "PAGE_SIZE=7", "-f", "GeoJSON", out.toString(),
                "OAPIF:" + uri("/api/features"), id);

        Map<String, Object> written = Json.readMap(Files.readString(out, StandardCharsets.UTF_8));
        List<Map<String, Object>> features = (List<Map<String, Object>>) written.get("features");
        assertThat(features).as(log).hasSize(100);
        // Every county once, each geometry the table's (as EPSG:4326) to 1e-8 degrees with the same vertices.
        Integer matching = jdbc.queryForObject("with o as (select f -> 'properties' ->> 'fips' as fips, "
                + "ST_SetSRID(ST_GeomFromGeoJSON(f ->> 'geometry'), 4326) as g from jsonb_array_elements(?::jsonb "
                + "-> 'features') f) select count(distinct o.fips) from o join " + table(id) + " t on t.fips = o.fips "
                + "where ST_NPoints(o.g) = ST_NPoints(t.geom) and GeometryType(o.g) = GeometryType(t.geom) "
                + "and ST_HausdorffDistance(o.g, ST_Transform(t.geom, 4326)) < 1e-8", Integer.class,
                Files.readString(out, StandardCharsets.UTF_8));
        assertThat(matching).isEqualTo(100);
        assertThat(jdbc.queryForObject("select count(*) from " + table(id), Integer.class)).isEqualTo(100);
    }

    @Test
    void gdalListsTheLoadedTableAsALayer() throws Exception {
        String id = loaded();

        String info = run("ogrinfo", "-ro", "-so", "OAPIF:" + uri("/api/features"), id);

        assertThat(info).contains("Layer name: " + id).contains("Feature Count: 100");
    }

    @Test
    @SuppressWarnings("unchecked")
    void pagingWithASmallLimitVisitsEveryFeatureExactlyOnceThroughNextLinks() {
        String id = loaded();
        List<Long> seen = new ArrayList<>();
        String next = "/api/features/collections/" + id + "/items?limit=7";
        int pages = 0;
        while (next != null) {
            Answer page = get(next);
            assertThat(page.status()).as(page.raw().body()).isEqualTo(200);
            assertThat(page.raw().headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                    .startsWith("application/geo+json"));
            List<Map<String, Object>> features = (List<Map<String, Object>>) page.body().get("features");
            assertThat(page.body()).containsEntry("type", "FeatureCollection")
                    .containsEntry("numberReturned", features.size()).containsKey("timeStamp");
            features.forEach(feature -> seen.add(((Number) feature.get("id")).longValue()));
            next = ((List<Map<String, Object>>) page.body().get("links")).stream()
                    .filter(link -> "next".equals(link.get("rel"))).map(link -> (String) link.get("href"))
                    .map(href -> href.substring(href.indexOf("/api/features"))).findFirst().orElse(null);
            assertThat(next == null || next.contains("after=")).as(next).isTrue();
            pages++;
        }

        assertThat(pages).isEqualTo(15);
        assertThat(seen).hasSize(100).doesNotHaveDuplicates()
                .containsExactlyElementsOf(jdbc.queryForList("select ogc_fid from " + table(id) + " order by 1",
                        Long.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void bboxReturnsExactlyTheFeaturesWhoseBoxesMeetIt() {
        String id = loaded();

        Answer answer = get("/api/features/collections/" + id + "/items?limit=10000&bbox=-80,35,-78.5,36");

        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        List<Long> ids = ((List<Map<String, Object>>) answer.body().get("features")).stream()
                .map(feature -> ((Number) feature.get("id")).longValue()).toList();
        List<Long> expected = jdbc.queryForList("select ogc_fid from " + table(id) + " where geom && "
                + "ST_MakeEnvelope(-80, 35, -78.5, 36, 4326) order by 1", Long.class);
        assertThat(expected).hasSizeBetween(5, 95);
        assertThat(ids).containsExactlyElementsOf(expected);
        Answer none = get("/api/features/collections/" + id + "/items?bbox=10,10,11,11");
        assertThat(none.body()).containsEntry("numberReturned", 0);
        // minLon > maxLon crosses the antimeridian: North Carolina lies in neither part.
        assertThat(get("/api/features/collections/" + id + "/items?bbox=170,30,-170,40").body())
                .containsEntry("numberReturned", 0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void landingConformanceCollectionAndOneFeatureDescribeTheTable() throws Exception {
        String id = loaded();

        Map<String, Object> landing = get("/api/features").body();
        Map<String, Object> conformance = get("/api/features/conformance").body();
        Map<String, Object> collections = get("/api/features/collections").body();
        Answer collection = get("/api/features/collections/" + id);
        long fid = jdbc.queryForObject("select min(ogc_fid) from " + table(id), Long.class);
        Answer feature = get("/api/features/collections/" + id + "/items/" + fid);

        assertThat(((List<Map<String, Object>>) landing.get("links")).stream().map(link -> link.get("rel")))
                .contains("self", "conformance", "data", "service-desc");
        assertThat((List<String>) conformance.get("conformsTo")).containsAll(FeaturesApi.CONFORMANCE);
        assertThat(((List<Map<String, Object>>) collections.get("collections")).stream().map(c -> c.get("id")))
                .contains(id);
        assertThat(collection.body()).containsEntry("itemType", "feature").containsEntry("crs",
                List.of(FeaturesApi.CRS84));
        List<Number> bbox = ((List<List<Number>>) ((Map<String, Object>) ((Map<String, Object>) collection.body()
                .get("extent")).get("spatial")).get("bbox")).get(0);
        Map<String, Object> extent = jdbc.queryForMap("select ST_XMin(e) x0, ST_YMin(e) y0, ST_XMax(e) x1, "
                + "ST_YMax(e) y1 from (select ST_Extent(geom) e from " + table(id) + ") s");
        assertThat(bbox.get(0).doubleValue()).isCloseTo(((Number) extent.get("x0")).doubleValue(),
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(bbox.get(3).doubleValue()).isCloseTo(((Number) extent.get("y1")).doubleValue(),
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(feature.status()).isEqualTo(200);
        assertThat(feature.raw().headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/geo+json"));
        assertThat(feature.body()).containsEntry("type", "Feature").containsEntry("id", (int) fid);
        assertThat((Map<String, Object>) feature.body().get("properties")).containsKey("fips")
                .doesNotContainKeys("geom", "ogc_fid");
        // The table's STAC item links to its features.
        Map<String, Object> item = get("/api/stac/collections/vectors/items/" + id).body();
        assertThat(((List<Map<String, Object>>) item.get("links")).stream()
                .filter(link -> "related".equals(link.get("rel"))).map(link -> (String) link.get("href")))
                .containsExactly(uri("/api/features/collections/" + id + "/items").toString());
        StacValidator.assertValid(List.of(item));
    }

    @Test
    void onlyRegisteredTablesThatStillExistAreServed() {
        loaded();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        // Shaped exactly like a loaded table, but geoetl never loaded it.
        String stranger = "geo.stranger_" + suffix;
        String inPublic = "public.registered_" + suffix;
        String dropped = "geo.dropped_" + suffix;
        for (String name : List.of(stranger, inPublic, dropped)) {
            jdbc.execute("create table " + name + " (ogc_fid integer primary key, name text, geom "
                    + "geometry(MultiPoint, 4326))");
            jdbc.execute("insert into " + name + " values (1, 'x', 'SRID=4326;MULTIPOINT((1 1))')");
        }
        // Registered, but altered by hand into another CRS: a bbox in CRS84 could not be compared right.
        String projected = "geo.projected_" + suffix;
        jdbc.execute("create table " + projected + " (ogc_fid integer primary key, geom geometry(Point, 3035))");
        jdbc.execute("insert into " + projected + " values (1, 'SRID=3035;POINT(4321000 3210000)')");
        // A registry row alone serves nothing outside the data schemas, nor a table that is gone.
        List<String> registered = List.of(inPublic, dropped, projected, "geoetl.job", "geoetl.output_target");
        registered.forEach(name -> jdbc.update("insert into output_target (target_kind, target_name) values "
                + "('table', ?)", name));
        jdbc.execute("drop table " + dropped);
        try {
            for (String id : List.of(stranger, inPublic, dropped, projected, "geoetl.job", "geoetl.output_target",
                    "geoetl.stac_item", "public.spatial_ref_sys", "pg_catalog.pg_class", "geo", "..")) {
                for (String path : List.of("", "/items", "/items/1")) {
                    Answer answer = get("/api/features/collections/" + id + path);
                    assertThat(answer.status()).as(id + path + ": " + answer.raw().body()).isEqualTo(404);
                    assertThat(answer.body()).containsKey("error");
                }
            }
            assertThat(get("/api/features/collections").raw().body()).doesNotContain(stranger, inPublic, dropped,
                    "geoetl.job");
        } finally {
            registered.forEach(name -> jdbc.update("delete from output_target where target_kind = 'table' and "
                    + "target_name = ?", name));
            jdbc.execute("drop table " + stranger);
            jdbc.execute("drop table " + inPublic);
            jdbc.execute("drop table " + projected);
        }
    }

    @Test
    void hostileParametersAnswer400NamingTheParameterOr404() {
        String id = loaded();
        String items = "/api/features/collections/" + id + "/items";
        for (String limit : List.of("0", "-1", "10001", "99999999999999999999", "abc", "1%3Bselect%201", "1.5")) {
            assertInvalidParameter(get(items + "?limit=" + limit), "limit");
        }
        for (String bbox : List.of("1,2,3", "-80,35,-78,36,0,10", "NaN,35,-78,36", "-80,35,Infinity,36", "a,b,c,d",
                "-80,36,-78,35", "-80,35,200,36", "-80,-95,-78,36", "-80,35,-78,", "%27%3Bdrop%20table%20x")) {
            assertInvalidParameter(get(items + "?bbox=" + bbox), "bbox");
        }
        for (String after : List.of("-1", "x", "1%20or%201%3D1", "99999999999999999999")) {
            assertInvalidParameter(get(items + "?after=" + after), "after");
        }
        for (String path : List.of(items + "/abc", items + "/999999999", items + "/1%20or%201%3D1",
                items + "/99999999999999999999", "/api/features/collections/geo.x%27%3Bselect%201--/items",
                "/api/features/collections/" + id.replace(".", "%22") + "/items",
                "/api/features/collections/" + "a".repeat(5000))) {
            Answer answer = get(path);
            assertThat(answer.status()).as(path + ": " + answer.raw().body()).isIn(400, 404);
            assertThat(answer.raw().body()).doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDeepPageOfALargeTableIsAnIndexRangeScanOnTheFidNotAnOffset() {
        loaded();
        String name = "bench_" + UUID.randomUUID().toString().substring(0, 8);
        String id = "geo." + name;
        int size = 200_000;
        jdbc.execute("create table " + id + " as select g as ogc_fid, 'row ' || g as label, ST_Multi(ST_Point("
                + "random() * 360 - 180, random() * 170 - 85, 4326))::geometry(MultiPoint, 4326) as geom "
                + "from generate_series(1, " + size + ") g");
        jdbc.execute("alter table " + id + " add primary key (ogc_fid)");
        jdbc.execute("create index on " + id + " using gist (geom)");
        jdbc.execute("analyze " + id);
        jdbc.update("insert into output_target (target_kind, target_name) values ('table', ?)", id);
        try {
            FeatureTable table = tables.find(id).orElseThrow();
            ItemsQuery deep = new ItemsQuery(10, null, size - 1000L);

            String sql = rows.pageStatement(table, new ItemsQuery(10, new double[] {-80, 35, -78, 36}, 50L)).sql();
            String plan = String.join("\n", rows.explain(table, deep));

            assertThat(sql).contains("where true and t.\"ogc_fid\" > ? and t.\"geom\" && ST_MakeEnvelope(?, ?, ?, ?, "
                    + "4326) order by t.\"ogc_fid\" limit ?").doesNotContainIgnoringCase("offset");
            assertThat(plan).contains("Limit").containsPattern("Index Scan using \\S+_pkey").doesNotContain("Sort",
                    "Seq Scan");
            // No STAC item describes this table: its extent is PostGIS's estimate from the statistics.
            assertThat(get("/api/features/collections/" + id).body()).containsKey("extent");
            long first = System.nanoTime();
            Answer firstPage = get("/api/features/collections/" + id + "/items?limit=1000");
            long firstMillis = (System.nanoTime() - first) / 1_000_000;
            long start = System.nanoTime();
            Answer deepPage = get("/api/features/collections/" + id + "/items?limit=1000&after=" + (size - 1000));
            long deepMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(firstPage.body()).containsEntry("numberReturned", 1000);
            assertThat(deepPage.body()).containsEntry("numberReturned", 1000);
            assertThat(((List<Map<String, Object>>) deepPage.body().get("links")).stream()
                    .map(link -> link.get("rel"))).doesNotContain("next");
            System.out.printf("features keyset paging on %d rows: first page of 1000 %d ms, last page %d ms%n",
                    size, firstMillis, deepMillis);
        } finally {
            jdbc.update("delete from output_target where target_kind = 'table' and target_name = ?", id);
            jdbc.execute("drop table " + id);
        }
    }

    /** Loads nc.gpkg with process_vector once; returns its collection id. */
    private synchronized String loaded() {
        if (loadedTable != null) {
            return loadedTable;
        }
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Samples.upload(blobService.getBlobContainerClient("bronze"), "features-" + suffix + "/nc.gpkg",
                Samples.NC_GPKG);
        String jobId = submit("process_vector", "{\"blob_name\": \"features-" + suffix + "/nc.gpkg\", "
                + "\"target_table\": \"nc_features_" + suffix + "\", \"chunk_size\": 30}");
        Map<String, Object> status = awaitEnded(jobId, Duration.ofSeconds(120));
        assertThat(status.get("status")).as(status.toString()).isEqualTo("completed");
        loadedTable = "geo.nc_features_" + suffix;
        return loadedTable;
    }

    /** The collection id as a quoted SQL name, for the test's own queries. */
    private static String table(String id) {
        String[] parts = id.split("\\.");
        return FeatureTable.quote(parts[0]) + "." + FeatureTable.quote(parts[1]);
    }

    /** Runs a GDAL program; fails with its output unless it exits 0 within a minute. */
    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + text).isZero();
        return text;
    }
}
