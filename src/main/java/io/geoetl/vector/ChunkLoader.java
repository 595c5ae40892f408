package io.geoetl.vector;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.geoetl.catalog.WorkDir;
import io.geoetl.config.StorageProperties;
import io.geoetl.config.VectorProperties;
import io.geoetl.error.TransientTaskException;
import io.geoetl.gdal.ProcessRunner;
import io.geoetl.storage.BlobStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Stage 2 of process_vector: one chunk of the intermediate (a fid range) loaded with COPY into its
 * own staging table. The table is overwritten as a whole, so a redelivered chunk never duplicates rows.
 */
@Component
class ChunkLoader {

    private static final Duration TIMEOUT = Duration.ofHours(1);

    private final BlobStore blobs;
    private final StorageProperties storage;
    private final VectorProperties properties;
    private final PostgisTarget postgis;
    private final JdbcTemplate jdbc;

    ChunkLoader(BlobStore blobs, StorageProperties storage, VectorProperties properties, PostgisTarget postgis,
            JdbcTemplate jdbc) {
        this.blobs = blobs;
        this.storage = storage;
        this.properties = properties;
        this.postgis = postgis;
        this.jdbc = jdbc;
    }

    static String stagingTable(String jobId, String chunkKey) {
        return "s_" + jobId.substring(0, 16) + "_" + chunkKey;
    }

    Map<String, Object> load(String jobId, Map<String, Object> prepared, Map<String, Object> chunk) throws Exception {
        String table = stagingTable(jobId, (String) chunk.get("key"));
        jdbc.execute("create schema if not exists \"" + properties.stagingSchema() + "\"");
        // A redelivered chunk starts from nothing: its earlier partial or complete load is dropped first
        // (ogr2ogr's -overwrite does not find a layer named with -lco SCHEMA).
        jdbc.execute("drop table if exists \"" + properties.stagingSchema() + "\".\"" + table + "\"");
        try (WorkDir work = WorkDir.create()) {
            Path intermediate = work.root().resolve("intermediate.gpkg");
            blobs.download(storage.silverContainer(), (String) prepared.get("intermediate_blob"), intermediate);
            List<String> command = new ArrayList<>(List.of("ogr2ogr", "-f", "PostgreSQL", postgis.connection(),
                    intermediate.toString(), "-sql", "SELECT * FROM data WHERE fid > "
                            + ((Number) chunk.get("after_fid")).longValue() + " AND fid <= "
                            + ((Number) chunk.get("to_fid")).longValue(),
                    "-nln", table, "-nlt", (String) prepared.get("geometry_type"),
                    "-lco", "SCHEMA=" + properties.stagingSchema(), "-lco", "GEOMETRY_NAME=geom",
                    "-lco", "SPATIAL_INDEX=NONE", "-lco", "FID=source_fid", "-lco", "LAUNDER=YES",
                    "--config", "PG_USE_COPY", "YES"));
            ProcessRunner.Result result = ProcessRunner.run(command, postgis.environment(), TIMEOUT);
            if (result.exitCode() != 0) {
                // The intermediate is geoetl's own file: a failure here is the database, worth retrying.
                throw new TransientTaskException("chunk_load_failed", "loading " + table + " failed: "
                        + result.stderr().strip().lines().findFirst().orElse("no message"));
            }
        }
        Long rows = jdbc.queryForObject("select count(*) from \"" + properties.stagingSchema() + "\".\"" + table
                + "\"", Long.class);
        return Map.of("staging_table", table, "rows", rows);
    }
}
