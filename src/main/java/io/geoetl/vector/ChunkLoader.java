package io.geoetl.vector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.geoetl.config.StorageProperties;
import io.geoetl.config.VectorProperties;
import io.geoetl.error.TransientTaskException;
import io.geoetl.gdal.Gdal;
import io.geoetl.storage.BlobStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Stage 2 of process_vector: one chunk of the intermediate (a fid range) appended with COPY to the
 * job's staging table, its rows tagged with the chunk. A redelivered chunk first deletes its own
 * rows, so a chunk that crashed half-way never leaves duplicates behind.
 */
@Component
class ChunkLoader {

    private static final Duration TIMEOUT = Duration.ofHours(1);
    /** Intermediates kept on local disk for the next chunks of the same job (most recent first). */
    private static final int CACHED_INTERMEDIATES = 2;

    private final BlobStore blobs;
    private final StorageProperties storage;
    private final VectorProperties properties;
    private final PostgisTarget postgis;
    private final JdbcTemplate jdbc;
    private final Gdal gdal;
    private final Map<String, Path> cache = new LinkedHashMap<>();

    ChunkLoader(BlobStore blobs, StorageProperties storage, VectorProperties properties, PostgisTarget postgis,
            JdbcTemplate jdbc, Gdal gdal) {
        this.gdal = gdal;
        this.blobs = blobs;
        this.storage = storage;
        this.properties = properties;
        this.postgis = postgis;
        this.jdbc = jdbc;
    }

    /** The job's staging table, quoted and schema-qualified for SQL. */
    String stagingTable(String jobId) {
        return TableFinalizer.quote(properties.stagingSchema()) + "." + TableFinalizer.quote(stagingName(jobId));
    }

    static String stagingName(String jobId) {
        return "s_" + jobId.substring(0, 16);
    }

    /** Creates the empty staging table with the intermediate's columns plus geoetl_chunk (stage 1). */
    void createStaging(String jobId, Path intermediate, String geometryType) throws InterruptedException {
        jdbc.execute("create schema if not exists " + TableFinalizer.quote(properties.stagingSchema()));
        jdbc.execute("drop table if exists " + stagingTable(jobId));
        ogr2ogr(List.of(intermediate.toString(), "-sql", "SELECT *, 'none' AS geoetl_chunk FROM data LIMIT 0",
                "-nln", properties.stagingSchema() + "." + stagingName(jobId), "-nlt", geometryType,
                "-lco", "GEOMETRY_NAME=geom", "-lco", "SPATIAL_INDEX=NONE", "-lco", "FID=fid", "-lco", "LAUNDER=YES"),
                "creating the staging table");
        // Each chunk deletes its own earlier rows before loading: without this index every delete would
        // scan all rows loaded so far, making the stage quadratic in the feature count.
        jdbc.execute("create index on " + stagingTable(jobId) + " (geoetl_chunk)");
    }

    Map<String, Object> load(String jobId, Map<String, Object> prepared, Map<String, Object> chunk) throws Exception {
        String key = (String) chunk.get("key");
        Path intermediate = intermediate((String) prepared.get("intermediate_blob"));
        int removed = jdbc.update("delete from " + stagingTable(jobId) + " where geoetl_chunk = ?", key);
        ogr2ogr(List.of(intermediate.toString(), "-append", "-sql", "SELECT *, '" + key + "' AS geoetl_chunk "
                + "FROM data WHERE fid > " + ((Number) chunk.get("after_fid")).longValue() + " AND fid <= "
                + ((Number) chunk.get("to_fid")).longValue(), "-nln", properties.stagingSchema() + "."
                + stagingName(jobId), "-nlt", (String) prepared.get("geometry_type")), "loading " + key);
        Long rows = jdbc.queryForObject("select count(*) from " + stagingTable(jobId) + " where geoetl_chunk = ?",
                Long.class, key);
        return Map.of("rows", rows, "replaced_rows", removed);
    }

    private void ogr2ogr(List<String> arguments, String what) throws InterruptedException {
        try {
            gdal.ogr2ogrToPostgis(postgis.connection(), arguments, postgis.environment(), TIMEOUT);
        } catch (TransientTaskException e) {
            throw new TransientTaskException("chunk_load_failed", what + ": " + e.getMessage(), e);
        }
    }

    /** The intermediate on local disk, downloaded once per worker for all the chunks it loads. */
    private synchronized Path intermediate(String blob) throws IOException {
        // Keyed by ETag too: a resubmitted job writes a new intermediate under the same name.
        String version = blob + "@" + blobs.describe(storage.silverContainer(), blob).etag();
        Path cached = cache.get(version);
        if (cached != null && Files.exists(cached)) {
            return cached;
        }
        Path file = Files.createTempFile("geoetl-intermediate-", ".gpkg");
        blobs.download(storage.silverContainer(), blob, file);
        cache.put(version, file);
        while (cache.size() > CACHED_INTERMEDIATES) {
            String eldest = cache.keySet().iterator().next();
            Files.deleteIfExists(cache.remove(eldest));
        }
        return file;
    }
}
