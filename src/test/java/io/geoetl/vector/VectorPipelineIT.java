package io.geoetl.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.TestDatabases;
import io.geoetl.catalog.Samples;
import io.geoetl.orchestration.Json;
import io.geoetl.stac.StacValidator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** process_vector on real Debian sample data and on generated files in six formats, against ogr2ogr. */
class VectorPipelineIT extends IntegrationTest {

    @Autowired
    BlobServiceClient blobService;

    @Autowired
    LeftoverSweep sweep;

    private BlobContainerClient bronze;
    private String prefix;
    private String suffix;

    @BeforeEach
    void setUp() {
        bronze = blobService.getBlobContainerClient("bronze");
        suffix = UUID.randomUUID().toString().substring(0, 8);
        prefix = "vector-" + suffix + "/";
    }

    @Test
    @SuppressWarnings("unchecked")
    void geopackageAndZippedShapefileMatchOgr2ogrFeatureForFeature() throws Exception {
        Samples.upload(bronze, prefix + "nc.gpkg", Samples.NC_GPKG);
        Path zip = zip(Files.createTempFile("nc", ".zip"), Map.of(
                "nc/nc.shp", Files.readAllBytes(Samples.NC_SHP), "nc/nc.shx", sibling("shx"),
                "nc/nc.dbf", sibling("dbf"), "nc/nc.prj", sibling("prj")));
        Samples.upload(bronze, prefix + "nc_shape.zip", zip);

        // Two shapefiles in one zip: `layer` picks one by its file name, the first is the default.
        Path twoShapes = zip(Files.createTempFile("two", ".zip"), Map.of(
                "a/first.shp", Files.readAllBytes(Samples.NC_SHP), "a/first.shx", sibling("shx"),
                "a/first.dbf", sibling("dbf"), "a/first.prj", sibling("prj"),
                "b/second.shp", Files.readAllBytes(Samples.NC_SHP), "b/second.shx", sibling("shx"),
                "b/second.dbf", sibling("dbf"), "b/second.prj", sibling("prj")));
        Samples.upload(bronze, prefix + "two_shapes.zip", twoShapes);
        Map<String, Object> second = run("{\"blob_name\": \"" + prefix + "two_shapes.zip\", \"target_table\": \"nc_2_"
                + suffix + "\", \"layer\": \"second\"}");
        assertThat((Map<String, Object>) second.get("result_data")).as(second.toString())
                .containsEntry("layer", "second").containsEntry("features", 100);

        Map<String, Object> gpkg = run("{\"blob_name\": \"" + prefix + "nc.gpkg\", \"target_table\": \"nc_g_" + suffix
                + "\", \"chunk_size\": 30}");
        Map<String, Object> shape = run("{\"blob_name\": \"" + prefix + "nc_shape.zip\", \"target_table\": \"nc_s_"
                + suffix + "\", \"chunk_size\": 100}");

        assertThat(gpkg.get("status")).as(gpkg.toString()).isEqualTo("completed");
        assertThat(shape.get("status")).as(shape.toString()).isEqualTo("completed");
        assertThat(((Map<String, Object>) gpkg.get("result_data"))).containsEntry("features", 100)
                .containsEntry("source_crs", "EPSG:4267").containsEntry("geometry_type", "MULTIPOLYGON");
        assertThat(jdbc.queryForObject("select count(*) from job_stage where job_id = ? and stage = 2",
                Integer.class, gpkg.get("job_id"))).isEqualTo(1);
        assertThat(jdbc.queryForObject("select task_count from job_stage where job_id = ? and stage = 2",
                Integer.class, gpkg.get("job_id"))).isEqualTo(4);
        ogr2ogr(Samples.NC_GPKG, "ref_" + suffix);
        for (String table : List.of("nc_g_" + suffix, "nc_s_" + suffix)) {
            assertThat(jdbc.queryForObject("select count(*) from geo." + table, Integer.class)).isEqualTo(100);
            assertThat(jdbc.queryForObject("select count(*) from geo." + table + " t join parity.ref_" + suffix
                    + " r on r.fips = t.fips where ST_Equals(t.geom, r.geom)", Integer.class)).as(table).isEqualTo(100);
            assertThat(jdbc.queryForObject("select Find_SRID('geo', ?, 'geom')", Integer.class, table))
                    .isEqualTo(4326);
        }
        Map<String, Object> item = get("/api/stac/collections/vectors/items/geo.nc_g_" + suffix).body();
        assertThat(((Map<String, Object>) item.get("properties")).get("geoetl:feature_count")).isEqualTo(100);
        StacValidator.assertValid(List.of(item));
    }

    @Test
    @SuppressWarnings("unchecked")
    void invalidGeometriesAreRepairedAndCountedAndZIsDropped() throws Exception {
        String geojson = """
                {"type": "FeatureCollection", "features": [
                 {"type": "Feature", "properties": {"name": "bowtie"}, "geometry": {"type": "Polygon",
                  "coordinates": [[[0, 0, 5], [2, 2, 5], [2, 0, 5], [0, 2, 5], [0, 0, 5]]]}},
                 {"type": "Feature", "properties": {"name": "square"}, "geometry": {"type": "Polygon",
                  "coordinates": [[[10, 10, 1], [11, 10, 1], [11, 11, 1], [10, 11, 1], [10, 10, 1]]]}},
                 {"type": "Feature", "properties": {"name": "nothing"}, "geometry": null}]}""";
        upload("shapes.geojson", geojson);

        Map<String, Object> status = run("{\"blob_name\": \"" + prefix + "shapes.geojson\", \"target_table\": "
                + "\"shapes_" + suffix + "\"}");

        assertThat(status.get("status")).as(status.toString()).isEqualTo("completed");
        Map<String, Object> result = (Map<String, Object>) status.get("result_data");
        assertThat(result).containsEntry("source_features", 3).containsEntry("features", 2)
                .containsEntry("invalid_geometries", 1).containsEntry("repaired_geometries", 1)
                .containsEntry("missing_geometries", 1).containsEntry("dropped_z", true);
        // Where the time went, step by step, for the prepare and finalize tasks.
        Map<String, Map<String, Object>> steps = (Map<String, Map<String, Object>>) result.get("step_seconds");
        assertThat(steps.get("prepare")).containsKeys("download", "translate_and_upload", "create_staging");
        assertThat(steps.get("finalize")).containsKeys("validate_index_analyze", "swap_or_insert", "catalog");
        assertThat(jdbc.queryForObject("select bool_and(ST_IsValid(geom)) and max(ST_NDims(geom)) = 2 from geo.shapes_"
                + suffix, Boolean.class)).isTrue();

        // Mixed types: the layer declares no dimension, and the 3D polygon still counts.
        upload("mixed3d.geojson", """
                {"type": "FeatureCollection", "features": [
                 {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPolygon",
                  "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]]]}},
                 {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon",
                  "coordinates": [[[10, 10, 1], [11, 10, 1], [11, 11, 1], [10, 10, 1]]]}}]}""");
        Map<String, Object> mixed = run("{\"blob_name\": \"" + prefix + "mixed3d.geojson\", \"target_table\": "
                + "\"mixed3d_" + suffix + "\"}");
        assertThat(mixed.get("status")).as(mixed.toString()).isEqualTo("completed");
        assertThat((Map<String, Object>) mixed.get("result_data")).containsEntry("features", 2)
                .containsEntry("dropped_z", true).containsEntry("dropped_m", false);
    }

    @Test
    @SuppressWarnings("unchecked")
    void fieldNamesBecomeDistinctSafeColumnsAndEveryRenamingIsReported() throws Exception {
        // Two names that only differ after 63 bytes would become one column if PostgreSQL truncated them.
        String long1 = "measurement_" + "x".repeat(60) + "_first";
        String long2 = "measurement_" + "x".repeat(60) + "_second";
        upload("fields.geojson", "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
                + "\"properties\": {\"My Field\": \"tab\\there \\\\ \\\"quoted\\\"\", \"SELECT\": 1, "
                + "\"L\\u00e4nge\": 2.5, \"x-y#z\": \"z\", \"" + long1 + "\": 1, \"" + long2 + "\": 2, "
                + "\"name\": \"kept\"}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2]}}]}");

        Map<String, Object> status = run("{\"blob_name\": \"" + prefix + "fields.geojson\", \"target_table\": "
                + "\"fields_" + suffix + "\"}");

        assertThat(status.get("status")).as(status.toString()).isEqualTo("completed");
        Map<String, Object> report = Json.readMap(jdbc.queryForObject(
                "select result::text from task where job_id = ? and stage = 1", String.class, status.get("job_id")));
        Map<String, String> renamed = (Map<String, String>) report.get("renamed_fields");
        assertThat((Map<String, Object>) status.get("result_data")).containsEntry("renamed_fields", renamed);
        assertThat(renamed).containsEntry("My Field", "my_field").containsEntry("SELECT", "select")
                .containsEntry("L\u00e4nge", "lange").containsEntry("x-y#z", "x_y_z")
                .containsEntry(long1, long1.substring(0, 63)).containsEntry(long2, long2.substring(0, 61) + "_2")
                .doesNotContainKey("name");
        Map<String, Object> row = jdbc.queryForMap("select * from geo.fields_" + suffix);
        assertThat(row).containsEntry("my_field", "tab\there \\ \"quoted\"").containsEntry("x_y_z", "z")
                .containsEntry("name", "kept").containsKeys("select", "lange", long1.substring(0, 63),
                        long2.substring(0, 61) + "_2", "ogc_fid", "geom");
        assertThat(((Number) row.get(long2.substring(0, 61) + "_2")).intValue()).isEqualTo(2);
    }

    @Test
    void textInAnotherEncodingLoadsWithTheEncodingParameterAndFailsClearlyWithout() throws Exception {
        Path latin1 = Files.createTempFile("latin1", ".csv");
        Files.write(latin1, "name,lat,lon\nBern,46.95,7.45\nZ\u00fcrich,47.37,8.54\n".getBytes(
                StandardCharsets.ISO_8859_1));
        Samples.upload(bronze, prefix + "latin1.csv", latin1);

        assertLoaded("latin1.csv", "latin1_" + suffix, 2, ", \"encoding\": \"ISO-8859-1\"");
        assertThat(jdbc.queryForList("select name from geo.latin1_" + suffix + " order by ogc_fid", String.class))
                .containsExactly("Bern", "Z\u00fcrich");
        assertFails("latin1.csv", "feature 2 has text that is not UTF-8");
        Map<String, Object> declaredUtf8 = run("{\"blob_name\": \"" + prefix + "latin1.csv\", \"target_table\": \"f_"
                + suffix + "\", \"encoding\": \"UTF-8\"}");
        assertThat(declaredUtf8.get("status")).isEqualTo("failed");
        assertThat(declaredUtf8.get("error_details").toString()).contains("not valid UTF-8");
    }

    @Autowired
    ChunkLoader loader;

    @Test
    @SuppressWarnings("unchecked")
    void aRedeliveredChunkReplacesItsRowsInsteadOfDuplicatingThem() throws Exception {
        Samples.upload(bronze, prefix + "nc.gpkg", Samples.NC_GPKG);
        Map<String, Object> status = run("{\"blob_name\": \"" + prefix + "nc.gpkg\", \"target_table\": \"nc_r_"
                + suffix + "\", \"chunk_size\": 40}");
        String jobId = (String) status.get("job_id");
        Map<String, Object> prepared = Json.readMap(jdbc.queryForObject(
                "select result::text from task where job_id = ? and stage = 1", String.class, jobId));
        Map<String, Object> chunk = ((List<Map<String, Object>>) prepared.get("chunks")).get(1);
        // The job has ended and dropped its staging tables: set up empty ones of the same shape again.
        jdbc.execute("create table " + loader.stagingTable(jobId) + " as select * from geo.nc_r_" + suffix
                + " limit 0");
        jdbc.execute("create table " + loader.chunkTable(jobId) + " (chunk text primary key)");

        Map<String, Object> first = loader.load(jobId, prepared, chunk);
        Map<String, Object> again = loader.load(jobId, prepared, chunk);

        assertThat(first).containsEntry("rows", 40L).containsEntry("replaced_rows", 0L);
        assertThat(again).containsEntry("rows", 40L).containsEntry("replaced_rows", 40L);
        assertThat(jdbc.queryForObject("select count(distinct ogc_fid) from " + loader.stagingTable(jobId)
                + " where ogc_fid between 41 and 80", Integer.class)).isEqualTo(40);
        assertThat(jdbc.queryForObject("select count(*) from " + loader.stagingTable(jobId), Integer.class))
                .isEqualTo(40);
        jdbc.execute("drop table " + loader.stagingTable(jobId));
        jdbc.execute("drop table " + loader.chunkTable(jobId));
    }

    @Test
    @SuppressWarnings("unchecked")
    void csvKmlAndKmzLoad() throws Exception {
        upload("points.csv", "name,latitude,longitude\na,48.85,2.35\nb,51.5,-0.12\nc,40.4,-3.7\n");
        upload("wkt.csv", "id;shape\n1;\"POINT (1 2)\"\n2;\"POINT (3 4)\"\n".replace(';', ','));
        String kml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><kml xmlns=\"http://www.opengis.net/kml/2.2\">"
                + "<Document><Placemark><name>x</name><Point><coordinates>7.1,46.2</coordinates></Point></Placemark>"
                + "<Placemark><name>y</name><Point><coordinates>8.5,47.4</coordinates></Point></Placemark>"
                + "</Document></kml>";
        upload("places.kml", kml);
        Path kmz = zip(Files.createTempFile("places", ".kmz"), Map.of("doc.kml", kml.getBytes(StandardCharsets.UTF_8)));
        Samples.upload(bronze, prefix + "places.kmz", kmz);

        Map<String, Object> csv = assertLoaded("points.csv", "csv_" + suffix, 3);
        // GDAL names a CSV's layer after its file, as ogrinfo would show it.
        assertThat((Map<String, Object>) csv.get("result_data")).containsEntry("layer", "points");
        assertLoaded("wkt.csv", "wkt_" + suffix, 2, ", \"wkt_column\": \"shape\"");
        // Two columns among the names geoetl looks for: the first name of its list (wkt) is the geometry, the
        // other stays text under a safe name.
        upload("twowkt.csv", "name,geom,wkt\na,\"POINT (3 4)\",\"POINT (1 2)\"\n");
        assertLoaded("twowkt.csv", "twowkt_" + suffix, 1);
        assertThat(jdbc.queryForMap("select ST_AsText(geom) as geom, geom_2 from geo.twowkt_" + suffix))
                .containsEntry("geom", "MULTIPOINT((1 2))").containsEntry("geom_2", "POINT (3 4)");
        assertLoaded("places.kml", "kml_" + suffix, 2);
        // A KML folder is a layer: the first one loads unless `layer` names another, and all are reported.
        upload("folders.kml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><kml xmlns=\"http://www.opengis.net/kml/2.2\">"
                + "<Document><Folder><name>stations</name><Placemark><Point><coordinates>7.4,46.9</coordinates></Point>"
                + "</Placemark></Folder><Folder><name>lines</name><Placemark><LineString><coordinates>7,46 8,47"
                + "</coordinates></LineString></Placemark><Placemark><LineString><coordinates>8,47 9,48</coordinates>"
                + "</LineString></Placemark></Folder></Document></kml>");
        Map<String, Object> firstFolder = assertLoaded("folders.kml", "folder1_" + suffix, 1);
        assertThat((Map<String, Object>) firstFolder.get("result_data")).containsEntry("layer", "stations")
                .containsEntry("layers", List.of("stations", "lines"));
        assertLoaded("folders.kml", "folder2_" + suffix, 2, ", \"layer\": \"lines\"");
        assertLoaded("places.kmz", "kmz_" + suffix, 2);
        // Promoted to Multi like ogr2ogr -nlt PROMOTE_TO_MULTI: one geometry type whatever later files hold.
        assertThat(jdbc.queryForObject("select round(ST_Y(ST_GeometryN(geom, 1))::numeric, 2) from geo.csv_" + suffix
                + " where name = 'a'", Double.class)).isEqualTo(48.85);
        assertThat(jdbc.queryForObject("select type from geometry_columns where f_table_schema = 'geo' and "
                + "f_table_name = ?", String.class, "kmz_" + suffix)).isEqualTo("MULTIPOINT");
    }

    @Test
    void shapefileValuesWiderThanTheirDeclaredFieldLoad() throws Exception {
        // GDAL writes 1379302771.0 into a field the DBF declares N(12,3), with a warning: real shapefiles hold
        // such values (Natural Earth's pop_est), and a NUMERIC(12,3) column would refuse them.
        Path folder = Files.createTempDirectory("wide");
        python("""
                import sys
                from osgeo import ogr, osr
                srs = osr.SpatialReference(); srs.ImportFromEPSG(4326)
                dataset = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(sys.argv[1])
                layer = dataset.CreateLayer("wide", srs, ogr.wkbPoint)
                field = ogr.FieldDefn("pop", ogr.OFTReal); field.SetWidth(12); field.SetPrecision(3)
                layer.CreateField(field)
                for value in (12.5, 1379302771.0):
                    feature = ogr.Feature(layer.GetLayerDefn()); feature.SetField(0, value)
                    feature.SetGeometry(ogr.CreateGeometryFromWkt("POINT (1 2)")); layer.CreateFeature(feature)
                dataset = None
                """, folder.toString());
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String extension : List.of("shp", "shx", "dbf", "prj")) {
            files.put("wide." + extension, Files.readAllBytes(folder.resolve("wide." + extension)));
        }
        Samples.upload(bronze, prefix + "wide.zip", zip(Files.createTempFile("wide", ".zip"), files));

        assertLoaded("wide.zip", "wide_" + suffix, 2);
        assertThat(jdbc.queryForList("select pop from geo.wide_" + suffix + " order by pop", Double.class))
                .containsExactly(12.5, 1379302771.0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void curvesBecomeLinearGeometriesOfTheirFamily() throws Exception {
        // A CurvePolygon beside a plain polygon: ogr2ogr -nlt PROMOTE_TO_MULTI alone stops at the polygon
        // (its column became MultiSurface); geoetl linearizes and the table holds MultiPolygons.
        Path gpkg = Files.createTempDirectory("curves").resolve("curves.gpkg");
        python("""
                import sys
                from osgeo import ogr, osr
                srs = osr.SpatialReference(); srs.ImportFromEPSG(4326)
                dataset = ogr.GetDriverByName("GPKG").CreateDataSource(sys.argv[1])
                layer = dataset.CreateLayer("curves", srs, ogr.wkbCurvePolygon)
                for wkt in ("CURVEPOLYGON (CIRCULARSTRING (0 0, 1 1, 2 0, 1 -1, 0 0))", "POLYGON ((5 5, 6 5, 6 6, 5 5))"):
                    feature = ogr.Feature(layer.GetLayerDefn())
                    feature.SetGeometry(ogr.CreateGeometryFromWkt(wkt)); layer.CreateFeature(feature)
                dataset = None
                """, gpkg.toString());
        Samples.upload(bronze, prefix + "curves.gpkg", gpkg);

        Map<String, Object> status = assertLoaded("curves.gpkg", "curves_" + suffix, 2);
        assertThat((Map<String, Object>) status.get("result_data")).containsEntry("linearized_curves", true)
                .containsEntry("geometry_type", "MULTIPOLYGON");
        // The circle of radius 1 as a polygon: its area is close to pi.
        assertThat(jdbc.queryForObject("select ST_Area(geom) from geo.curves_" + suffix + " where ogc_fid = 1",
                Double.class)).isBetween(3.1, 3.1416);
    }

    private static void python(String script, String argument) throws Exception {
        Process process = new ProcessBuilder("/usr/bin/python3", "-c", script, argument).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFailedLoadKeepsItsLeftoversForARetryUntilTheSweepRemovesThem() throws Exception {
        // GDAL types the property as a date; PostgreSQL has no year 0 and refuses the row in stage 2.
        upload("year0.geojson", "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
                + "\"properties\": {\"since\": \"0000-01-01\"}, \"geometry\": {\"type\": \"Point\", "
                + "\"coordinates\": [1, 2]}}]}");
        String error = assertFails("year0.geojson", "invalid_value");
        assertThat(error).contains("(column since): date/time field value out of range");
        String jobId = jdbc.queryForObject("select job_id from job where parameters->>'blob_name' = ?", String.class,
                prefix + "year0.geojson");
        String staging = ChunkLoader.stagingName(jobId);
        String intermediate = jdbc.queryForObject("select result->>'intermediate_blob' from task where job_id = ? "
                + "and stage = 1", String.class, jobId);
        BlobContainerClient silver = blobService.getBlobContainerClient("silver");
        assertThat(stagingTables(staging)).isEqualTo(2);
        assertThat(silver.getBlobClient(intermediate).exists()).isTrue();

        // Within the retry window nothing goes; past it, the tables and the intermediate do.
        sweep.sweep(Duration.ofDays(1));
        assertThat(stagingTables(staging)).isEqualTo(2);
        Map<String, Long> swept = sweep.sweep(Duration.ZERO);
        assertThat(swept.get("staging_tables")).isGreaterThanOrEqualTo(2);
        assertThat(stagingTables(staging)).isZero();
        assertThat(silver.getBlobClient(intermediate).exists()).isFalse();
        // A retry after the sweep says what happened and what to do.
        assertThat(post("/api/jobs/" + jobId + "/retry", "").status()).isEqualTo(202);
        Map<String, Object> retried = awaitEnded(jobId, Duration.ofSeconds(120));
        assertThat(retried.get("error_details").toString()).contains("staging_removed", "resubmit the job");
    }

    private int stagingTables(String staging) {
        return jdbc.queryForObject("select count(*) from pg_tables where schemaname = 'geoetl_staging' and "
                + "tablename like ? || '%'", Integer.class, staging);
    }

    @Test
    void replaceSwapsOrRefillsKeepingDependentViewsAndAppendAddsRows() throws Exception {
        String table = "pts_" + suffix;
        upload("points.csv", "name,lat,lon\na,1,1\nb,2,2\n");
        assertLoaded("points.csv", table, 2);
        upload("points.csv", "name,lat,lon\nc,3,3\nd,4,4\ne,5,5\n");
        assertLoaded("points.csv", table, 3);
        jdbc.execute("create view geo.v_" + suffix + " as select name from geo." + table);
        upload("points.csv", "name,lat,lon\nf,6,6\ng,7,7\n");

        assertLoaded("points.csv", table, 2);
        assertThat(jdbc.queryForList("select name from geo.v_" + suffix + " order by name", String.class))
                .containsExactly("f", "g");
        assertThat(jdbc.queryForList("select indexname from pg_indexes where schemaname = 'geo' and tablename = ?",
                String.class, table)).containsExactlyInAnyOrder(table + "_pkey", table + "_geom_idx");
        // Swapped in with the indexes and statistics built on the staging table.
        assertThat(jdbc.queryForList("select attname from pg_stats where schemaname = 'geo' and tablename = ?",
                String.class, table)).contains("geom", "name");
        assertThat(jdbc.queryForObject("select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
                + "where n.nspname = 'geo' and c.relname like 's\\_%'", Integer.class)).isZero();
        Map<String, Object> appended = run("{\"blob_name\": \"" + prefix + "points.csv\", \"target_table\": \""
                + table + "\", \"load_method\": \"append\", \"source_etag\": \"second\"}");
        assertThat(appended.get("status")).isEqualTo("completed");
        assertThat(jdbc.queryForObject("select count(*) from geo." + table, Integer.class)).isEqualTo(4);
        assertThat(jdbc.queryForObject("select count(*) from pg_tables where schemaname = 'geoetl_staging' "
                + "and tablename = ?", Integer.class, "s_" + ((String) appended.get("job_id")).substring(0, 16)))
                .isZero();
    }

    @Test
    void onlyDataSchemasAndInputContainersMayBeNamedAndATableElsewhereIsNeverReplaced() throws Exception {
        // A table a person created outside the data schemas, with the name a replace would swap out.
        String table = "mine_" + suffix;
        jdbc.execute("create table public." + table + " (id int)");
        jdbc.update("insert into public." + table + " values (1), (2)");
        upload("points.csv", "name,lat,lon\na,1,1\n");
        try {
            for (String schema : List.of("public", "geoetl", "geoetl_staging", "information_schema", "pg_toast",
                    "not_configured")) {
                Answer answer = post("/api/jobs/submit/process_vector", "{\"blob_name\": \"" + prefix
                        + "points.csv\", \"target_schema\": \"" + schema + "\", \"target_table\": \"" + table
                        + "\", \"load_method\": \"replace\"}");
                assertInvalidParameter(answer, "target_schema");
            }
            for (String container : List.of("silver", "not-configured")) {
                assertInvalidParameter(post("/api/jobs/submit/process_vector", "{\"container\": \"" + container
                        + "\", \"blob_name\": \"" + prefix + "points.csv\"}"), "container");
            }

            assertThat(jdbc.queryForList("select id from public." + table + " order by id", Integer.class))
                    .containsExactly(1, 2);
            assertThat(jdbc.queryForObject("select count(*) from job where job_type = 'process_vector' and "
                    + "parameters ->> 'blob_name' = ?", Integer.class, prefix + "points.csv")).isZero();
        } finally {
            jdbc.execute("drop table if exists public." + table);
        }
    }

    @Test
    void badInputFailsWithTheReason() throws Exception {
        upload("mixed.geojson", "{\"type\": \"FeatureCollection\", \"features\": ["
                + "{\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [0, 0]}},"
                + "{\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": "
                + "[[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}");
        upload("nocoords.csv", "name,value\na,1\n");
        Samples.upload(bronze, prefix + "slip.zip", zip(Files.createTempFile("slip", ".zip"),
                Map.of("../../evil.shp", new byte[] {1, 2, 3})));
        Samples.upload(bronze, prefix + "noshp.zip", zip(Files.createTempFile("noshp", ".zip"),
                Map.of("readme.txt", "hello".getBytes(StandardCharsets.UTF_8))));
        Path bomb = Files.createTempFile("bomb", ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(bomb))) {
            out.putNextEntry(new ZipEntry("big.geojson"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 60; i++) {
                out.write(zeros);
            }
            out.closeEntry();
        }
        Samples.upload(bronze, prefix + "bomb.zip", bomb);
        upload("notvector.geojson", "\u0089PNG this is not GeoJSON");
        // GDAL names the layer after the collection's "name"; on GDAL's command line it would read as an option.
        upload("dash.geojson", "{\"type\": \"FeatureCollection\", \"name\": \"-overwrite\", \"features\": [{\"type\": "
                + "\"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2]}}]}");
        Samples.upload(bronze, prefix + "nospatial.gpkg", Samples.NOSPATIAL_GPKG);

        assertFails("mixed.geojson", "mixes points and polygons");
        assertFails("nocoords.csv", "no lat/lon or WKT columns");
        assertFails("dash.geojson", "layer '-overwrite' starts with '-'");
        assertFails("nospatial.gpkg", "layer 'nospatial' has no geometry column; no layer of the file has one");
        assertFails("slip.zip", "zip-slip");
        assertFails("noshp.zip", "no_dataset_in_archive");
        assertFails("bomb.zip", "archive_too_large");
        assertFails("missing.geojson", "blob_not_found");
        // GDAL's own words, naming the file but not the worker's scratch folder.
        assertThat(assertFails("notvector.geojson", "notvector.geojson' not recognized")).doesNotContain("geoetl-task");
        for (String body : List.of("{\"blob_name\": \"a.geojson\", \"target_table\": \"x; drop table job\"}",
                "{\"blob_name\": \"a.geojson\", \"target_schema\": \"Geo\"}",
                "{\"blob_name\": \"a.geojson\", \"target_table\": \"pg_catalog\"}",
                "{\"blob_name\": \"a.txt\"}", "{\"blob_name\": \"a.csv\", \"lat_column\": \"lat\"}")) {
            assertThat(post("/api/jobs/submit/process_vector", body).status()).as(body).isEqualTo(400);
        }
    }

    private Map<String, Object> assertLoaded(String blob, String table, int rows) {
        return assertLoaded(blob, table, rows, "");
    }

    private Map<String, Object> assertLoaded(String blob, String table, int rows, String extra) {
        Map<String, Object> status = run("{\"blob_name\": \"" + prefix + blob + "\", \"target_table\": \"" + table
                + "\", \"source_etag\": \"" + UUID.randomUUID() + "\"" + extra + "}");
        assertThat(status.get("status")).as(blob + ": " + status).isEqualTo("completed");
        assertThat(jdbc.queryForObject("select count(*) from geo." + table, Integer.class)).as(blob).isEqualTo(rows);
        return status;
    }

    private String assertFails(String blob, String reason) {
        Map<String, Object> status = run("{\"blob_name\": \"" + prefix + blob + "\", \"target_table\": \"f_"
                + suffix + "\"}");
        assertThat(status.get("status")).as(blob).isEqualTo("failed");
        assertThat(status.get("error_details").toString()).as(blob).contains(reason);
        return status.get("error_details").toString();
    }

    private Map<String, Object> run(String body) {
        String jobId = submit("process_vector", body);
        Map<String, Object> status = new LinkedHashMap<>(awaitEnded(jobId, Duration.ofSeconds(120)));
        status.put("job_id", jobId);
        return status;
    }

    private void upload(String name, String content) throws Exception {
        Path file = Files.createTempFile("vector", "-" + name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Samples.upload(bronze, prefix + name, file);
    }

    private static byte[] sibling(String extension) throws Exception {
        String shp = Samples.NC_SHP.toString();
        return Files.readAllBytes(Path.of(shp.substring(0, shp.length() - 3) + extension));
    }

    private static Path zip(Path target, Map<String, byte[]> entries) throws Exception {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
        return target;
    }

    /** The reference load: ogr2ogr as a user would run it by hand. */
    private void ogr2ogr(Path source, String table) throws Exception {
        jdbc.execute("create schema if not exists parity");
        Process process = new ProcessBuilder("ogr2ogr", "-f", "PostgreSQL",
                "PG:host=127.0.0.1 dbname=" + TestDatabases.name("test") + " user=geoetl password=geoetl", source.toString(),
                "-t_srs", "EPSG:4326", "-nlt", "PROMOTE_TO_MULTI", "-nln", table, "-lco", "SCHEMA=parity",
                "-lco", "GEOMETRY_NAME=geom").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
