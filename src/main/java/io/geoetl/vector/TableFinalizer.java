package io.geoetl.vector;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.geoetl.catalog.CatalogService;
import io.geoetl.catalog.StacItems;
import io.geoetl.config.StorageProperties;
import io.geoetl.config.VectorProperties;
import io.geoetl.database.Schemas;
import io.geoetl.error.PermanentTaskException;
import io.geoetl.outputs.OutputRegistry;
import io.geoetl.outputs.OutputRegistry.Claimed;
import io.geoetl.outputs.OutputRegistry.OwnedBlob;
import io.geoetl.outputs.OutputTarget;
import io.geoetl.outputs.OverwriteParameter;
import io.geoetl.outputs.SourceVersion;
import io.geoetl.outputs.StaleBlobs;
import io.geoetl.stac.StacRepository;
import io.geoetl.storage.BlobStore;
import io.geoetl.workflow.StepSeconds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stage 3 of process_vector: the staging table becomes the target in one transaction. {@code replace}
 * swaps it in by rename (no row copied) unless views depend on the old table, which is then
 * truncated and refilled so the views keep working; {@code append} adds the rows with one INSERT ...
 * SELECT. A failure rolls back and leaves the old table as it was. Then the spatial index, ANALYZE
 * and a STAC Item.
 */
@Component
class TableFinalizer {

    private static final Logger log = LoggerFactory.getLogger(TableFinalizer.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final VectorProperties properties;
    private final StacRepository stac;
    private final CatalogService catalog;
    private final BlobStore blobs;
    private final StorageProperties storage;
    private final OutputRegistry registry;
    private final StaleBlobs staleBlobs;
    /** Runs a finalize's index builds beside its validity scan; idle threads end after a minute. */
    private final ExecutorService builders = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "vector-finalize");
                thread.setDaemon(true);
                return thread;
            });

    TableFinalizer(JdbcTemplate jdbc, TransactionTemplate transaction, VectorProperties properties,
            StacRepository stac, CatalogService catalog, BlobStore blobs, StorageProperties storage,
            OutputRegistry registry, StaleBlobs staleBlobs) {
        this.registry = registry;
        this.staleBlobs = staleBlobs;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.properties = properties;
        this.stac = stac;
        this.catalog = catalog;
        this.blobs = blobs;
        this.storage = storage;
    }

    Map<String, Object> finalizeTable(String jobId, Map<String, Object> job, Map<String, Object> prepared) {
        String schema = VectorParameters.identifier("target_schema", (String) job.get("target_schema"));
        String table = VectorParameters.identifier("target_table", (String) job.get("target_table"));
        String target = quote(schema) + "." + quote(table);
        String stagingName = ChunkLoader.stagingName(jobId);
        String staging = quote(properties.stagingSchema()) + "." + quote(stagingName);
        String fidColumn = (String) prepared.get("fid_column");
        boolean replace = "replace".equals(job.get("load_method"));
        OutputTarget tableTarget = VectorParameters.target(job);
        SourceVersion source = SourceVersion.recorded(job, prepared);
        boolean overwrite = OverwriteParameter.requested(job);
        // Before the index builds: a table that is not this source's to write fails now (and again, under
        // the registry's lock, in the swap's transaction).
        registry.requireAllowed(tableTarget, source, overwrite);
        String collection = (String) job.get("collection_id");
        OutputTarget itemTarget = OutputTarget.item(collection, schema + "." + table);
        String intermediate = (String) prepared.get("intermediate_blob");
        StepSeconds seconds = new StepSeconds();
        boolean exists = exists(schema + "." + table);
        // A staging table that will be swapped in gets its indexes before the swap: built in parallel with
        // the validity scan, and outside the swap's transaction, which then holds its lock on the old
        // table for a few renames instead of an index build. The transaction checks the choice again.
        boolean swapExpected = !exists || replace && !hasDependents(schema, table);
        String geometryIndex = stagingName + "_geom";
        String fidIndex = stagingName + "_fid";
        Map<String, Object> loadedStats = swapExpected
                ? repairAndIndex(staging, (String) prepared.get("geometry_type"), fidColumn, geometryIndex, fidIndex)
                : transaction.execute(status -> repair(staging, (String) prepared.get("geometry_type")));
        seconds.lap(swapExpected ? "validate_index_analyze" : "validate");
        long invalid = ((Number) loadedStats.get("invalid")).longValue();
        long unrepairable = ((Number) loadedStats.get("unrepairable")).longValue();
        List<Map<String, Object>> columns = columns(properties.stagingSchema(), stagingName, fidColumn);
        String columnList = String.join(", ", columns.stream().map(column -> quote((String) column.get("name")))
                .toList());
        AtomicBoolean swappedAnalyzed = new AtomicBoolean();
        long loaded = ((Number) loadedStats.get("features")).longValue() - unrepairable;
        stac.ensureCollection(collection, StacItems.collection(collection, "PostGIS tables loaded by geoetl"));
        List<OwnedBlob> replacedBlobs = new ArrayList<>();
        Map<String, Object> summary = transaction.execute(status -> {
            Claimed claimed = registry.claim(tableTarget, source, jobId, overwrite);
            // geo exists from the start (VectorSchemas); another target schema is created here, safely when
            // two first loads into it finalize at the same moment.
            Schemas.createIfMissing(jdbc, schema);
            boolean existsNow = exists(schema + "." + table);
            if (existsNow && claimed.before().isEmpty()) {
                // Created by someone else since the early check: never ours to replace or append to.
                registry.requireAllowed(tableTarget, source, overwrite);
            }
            boolean sameShape = existsNow && columns.equals(columns(schema, table, fidColumn));
            boolean dependents = existsNow && hasDependents(schema, table);
            String index = quote(shorten(table, "_geom_idx"));
            if (!existsNow || replace && !dependents) {
                // The staging table becomes the target: no row is copied. Readers of the old table wait for
                // the commit and then see the new one; a failure rolls everything back.
                if (existsNow) {
                    jdbc.execute("drop table " + target);
                }
                jdbc.execute("alter table " + staging + " rename to " + quote(table));
                jdbc.execute("alter table " + quote(properties.stagingSchema()) + "." + quote(table) + " set schema "
                        + quote(schema));
                // repairAndIndex built both indexes (and ANALYZEd) whenever the swap was expected.
                jdbc.execute("alter table " + target + " add constraint " + quote(shorten(table, "_pkey"))
                        + " primary key " + (swapExpected ? "using index " + quote(fidIndex) : "(" + quote(fidColumn)
                                + ")"));
                if (swapExpected) {
                    swappedAnalyzed.set(true);
                    jdbc.execute("alter index " + quote(schema) + "." + quote(geometryIndex) + " rename to " + index);
                }
                jdbc.execute("alter sequence if exists " + quote(schema) + "." + quote(stagingName + "_" + fidColumn
                        + "_seq") + " rename to " + quote(shorten(table, "_" + fidColumn + "_seq")));
                // Rows appended later take their fid from the identity: start it after the loaded ones.
                jdbc.queryForObject("select setval(pg_get_serial_sequence(?, ?), greatest(max(" + quote(fidColumn)
                        + "), 1)) from " + target, Long.class, target, fidColumn);
            } else if (!sameShape) {
                throw new PermanentTaskException(replace ? "dependent_views" : "columns_differ", replace
                        ? schema + "." + table + " has dependent views and its columns would change; drop or adapt "
                                + "the views first (the table is unchanged)"
                        : "cannot append: " + schema + "." + table + " has other columns than the new data");
            } else {
                if (replace) {
                    // Views depend on the table: keep it, refill it in this transaction.
                    jdbc.execute("truncate " + target);
                }
                jdbc.execute("insert into " + target + " (" + columnList + ") select " + columnList + " from "
                        + staging);
                jdbc.execute("drop table " + staging);
            }
            jdbc.execute("drop table if exists " + quote(properties.stagingSchema()) + "." + quote(stagingName
                    + "_chunks"));
            jdbc.execute("set local maintenance_work_mem = '256MB'");
            jdbc.execute("create index if not exists " + index + " on " + target + " using gist (geom)");
            // The staging scan's extent describes the table unless rows were appended to others or deleted.
            Map<String, Object> described = unrepairable > 0 || existsNow && !replace ? extent(target) : loadedStats;
            // The table's item changes with the table, in its transaction, and belongs to the same source.
            Claimed item = registry.claim(itemTarget, source, jobId, overwrite);
            stac.upsertItem(collection, item(collection, schema, table, described, prepared));
            registry.recordBlob(storage.silverContainer(), intermediate, itemTarget, jobId);
            replacedBlobs.addAll(item.previousBlobs());
            return described;
        });
        seconds.lap("swap_or_insert");
        if (!swappedAnalyzed.get()) {
            jdbc.execute("analyze " + target);
            seconds.lap("analyze");
        }
        staleBlobs.remove(replacedBlobs, List.of(storage.silverContainer() + "/" + intermediate));
        catalog.refreshCollection(collection);
        seconds.lap("catalog");
        log.info("finalized {} for job {}: {} (seconds)", schema + "." + table, jobId, seconds);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("table", schema + "." + table);
        result.put("features", loaded);
        result.put("table_features", summary.get("features"));
        result.put("invalid_geometries", invalid);
        result.put("repaired_geometries", invalid - unrepairable);
        result.put("unrepairable_geometries", unrepairable);
        result.put("load_method", job.get("load_method"));
        result.put("item_id", schema + "." + table);
        result.put("step_seconds", seconds.toMap());
        return result;
    }

    /**
     * One parallel scan counts the rows and the invalid geometries and takes the extent; then invalid
     * geometries are repaired in place: ST_MakeValid, keeping the parts of the table's family, as
     * Multi. A geometry nothing is left of is deleted and counted as unrepairable.
     */
    private Map<String, Object> repair(String staging, String geometryType) {
        // JIT compilation of this scan costs more than it saves (0.7 s measured on a million rows).
        jdbc.execute("set local jit = off");
        Map<String, Object> stats = new LinkedHashMap<>(jdbc.queryForMap("select features, invalid, ST_XMin(e) as "
                + "xmin, ST_YMin(e) as ymin, ST_XMax(e) as xmax, ST_YMax(e) as ymax from (select count(*) as "
                + "features, count(*) filter (where not ST_IsValid(geom)) as invalid, ST_Extent(geom)::box3d as e "
                + "from " + staging + ") x"));
        long unrepairable = 0;
        if (((Number) stats.get("invalid")).longValue() > 0) {
            int family = geometryType.endsWith("POINT") ? 1 : geometryType.endsWith("LINESTRING") ? 2 : 3;
            jdbc.update("update " + staging + " set geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), "
                    + family + ")) where not ST_IsValid(geom)");
            unrepairable = jdbc.update("delete from " + staging + " where geom is null or ST_IsEmpty(geom)");
        }
        stats.put("unrepairable", unrepairable);
        return stats;
    }

    /**
     * The validity scan (and repair), the GiST index and the unique fid index of a staging table that will
     * be swapped in, at once on three connections, then ANALYZE: the scan and the index builds each keep
     * one core busy, and the swap only renames what they built.
     */
    private Map<String, Object> repairAndIndex(String staging, String geometryType, String fidColumn,
            String geometryIndex, String fidIndex) {
        CompletableFuture<Map<String, Object>> repaired = CompletableFuture.supplyAsync(() -> transaction.execute(
                status -> repair(staging, geometryType)), builders);
        CompletableFuture<Void> geometry = CompletableFuture.runAsync(() -> transaction.executeWithoutResult(
                status -> {
                    jdbc.execute("set local maintenance_work_mem = '256MB'");
                    jdbc.execute("create index if not exists " + quote(geometryIndex) + " on " + staging
                            + " using gist (geom)");
                }), builders);
        CompletableFuture<Void> fid = CompletableFuture.runAsync(() -> jdbc.execute("create unique index if not exists "
                + quote(fidIndex) + " on " + staging + " (" + quote(fidColumn) + ")"), builders);
        try {
            CompletableFuture.allOf(repaired, geometry, fid).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
        // After the builds: ANALYZE and CREATE INDEX lock each other out. The statistics move with the table.
        jdbc.execute("analyze " + staging);
        return repaired.join();
    }

    private Map<String, Object> extent(String table) {
        return jdbc.queryForMap("select (select count(*) from " + table + ") as features, ST_XMin(e) as xmin, "
                + "ST_YMin(e) as ymin, ST_XMax(e) as xmax, ST_YMax(e) as ymax from (select ST_Extent(geom)::box3d "
                + "as e from " + table + ") x");
    }

    private static String shorten(String table, String suffix) {
        return (table.length() + suffix.length() > 63 ? table.substring(0, 63 - suffix.length()) : table) + suffix;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> item(String collection, String schema, String table, Map<String, Object> summary,
            Map<String, Object> prepared) {
        double xmin = ((Number) summary.get("xmin")).doubleValue();
        double ymin = ((Number) summary.get("ymin")).doubleValue();
        double xmax = ((Number) summary.get("xmax")).doubleValue();
        double ymax = ((Number) summary.get("ymax")).doubleValue();
        String intermediate = (String) prepared.get("intermediate_blob");
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("datetime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        properties.put("geoetl:datetime_source", "ingest_time");
        StacItems.putProjectionCode(properties, 4326);
        properties.put("geoetl:table", schema + "." + table);
        properties.put("geoetl:feature_count", summary.get("features"));
        properties.put("geoetl:geometry_type", prepared.get("geometry_type"));
        properties.put("geoetl:source_crs", prepared.get("source_crs"));
        Map<String, Object> asset = new LinkedHashMap<>();
        asset.put("href", blobs.url(storage.silverContainer(), intermediate));
        boolean compressed = CopyIntermediate.COMPRESSION.equals(prepared.get("intermediate_compression"));
        asset.put("type", compressed ? "application/zstd" : "text/tab-separated-values");
        asset.put("title", "The rows the table was loaded from: " + (compressed ? "zstd-compressed " : "")
                + "PostgreSQL COPY text, hex EWKB in EPSG:4326, "
                + "columns " + String.join(", ", (List<String>) prepared.get("copy_columns")));
        asset.put("roles", List.of("data"));
        asset.put("file:size", blobs.describe(storage.silverContainer(), intermediate).size());
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", "Feature");
        item.put("stac_version", "1.0.0");
        item.put("stac_extensions", List.of(StacItems.PROJECTION, StacItems.FILE));
        item.put("id", schema + "." + table);
        item.put("collection", collection);
        item.put("geometry", Map.of("type", "Polygon", "coordinates", List.of(List.of(List.of(xmin, ymin),
                List.of(xmax, ymin), List.of(xmax, ymax), List.of(xmin, ymax), List.of(xmin, ymin)))));
        item.put("bbox", List.of(xmin, ymin, xmax, ymax));
        item.put("properties", properties);
        item.put("links", List.of());
        item.put("assets", Map.of("data", asset));
        return item;
    }

    /** Column names and full types (geometry(MultiPolygon,4326), varchar(80), ...) in table order. */
    private List<Map<String, Object>> columns(String schema, String table, String fidColumn) {
        return jdbc.queryForList("select a.attname as name, format_type(a.atttypid, a.atttypmod) as type "
                + "from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = "
                + "c.relnamespace where n.nspname = ? and c.relname = ? and a.attnum > 0 and not a.attisdropped "
                + "and a.attname <> ? order by a.attnum", schema, table, fidColumn);
    }

    private boolean exists(String qualifiedName) {
        return jdbc.queryForObject("select to_regclass(?) is not null", Boolean.class, qualifiedName);
    }

    private boolean hasDependents(String schema, String table) {
        return jdbc.queryForObject("select count(*) from pg_depend d join pg_rewrite r on r.oid = d.objid "
                + "join pg_class v on v.oid = r.ev_class where d.refobjid = to_regclass(?) and v.oid <> "
                + "to_regclass(?)", Integer.class, schema + "." + table, schema + "." + table) > 0;
    }

    /** Quotes an identifier that was validated or read from the catalog. */
    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
