package io.geoetl.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.geoetl.config.RasterProperties;
import io.geoetl.error.PermanentTaskException;
import io.geoetl.gdal.Gdal;
import io.geoetl.outputs.OutputRegistry;
import io.geoetl.outputs.OutputTarget;
import io.geoetl.outputs.OverwriteParameter;
import io.geoetl.outputs.SourceVersion;
import io.geoetl.raster.RasterLimits;
import io.geoetl.stac.StacRepository;
import io.geoetl.storage.BlobStore;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Reads a blob's metadata with GDAL and turns it into a STAC Item in a collection. */
@Service
public class CatalogService {

    private final BlobStore blobs;
    private final Gdal gdal;
    private final StacRepository stac;
    private final OutputRegistry registry;
    private final TransactionTemplate transaction;
    private final RasterProperties rasterLimits;

    public CatalogService(BlobStore blobs, Gdal gdal, StacRepository stac, OutputRegistry registry,
            TransactionTemplate transaction, RasterProperties rasterLimits) {
        this.rasterLimits = rasterLimits;
        this.registry = registry;
        this.transaction = transaction;
        this.blobs = blobs;
        this.gdal = gdal;
        this.stac = stac;
    }

    /**
     * gdalinfo with statistics, which reads every pixel: only for a raster within the pixel limit of
     * raster jobs (a few kB of compressed file can declare billions of pixels), checked on its header.
     */
    private Map<String, Object> rasterStatistics(Path local) throws InterruptedException {
        Map<String, Object> header = gdal.rasterHeader(local);
        if (header.get("size") instanceof List<?> size && size.size() == 2) {
            RasterLimits.checkPixels("the raster", ((Number) size.get(0)).longValue(),
                    ((Number) size.get(1)).longValue(), rasterLimits);
        }
        return gdal.rasterInfo(local);
    }

    /** Small metadata summary of one file (list_container's inventory rows). */
    public Map<String, Object> describe(String container, String blobName) throws InterruptedException {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("name", blobName);
        FileKind kind = FileKind.of(blobName);
        summary.put("kind", kind.name().toLowerCase(Locale.ROOT));
        if (kind == FileKind.OTHER) {
            summary.put("size", blobs.describe(container, blobName).size());
            return summary;
        }
        try (WorkDir work = WorkDir.create()) {
            Path local = work.download(blobs, container, blobName);
            summary.put("size", Files.size(local));
            if (kind == FileKind.RASTER) {
                Map<String, Object> info = rasterStatistics(local);
                summary.put("driver", info.get("driverShortName"));
                summary.put("size_pixels", info.get("size"));
                summary.put("bands", ((List<?>) info.getOrDefault("bands", List.of())).size());
                Object stacInfo = info.get("stac");
                summary.put("crs", stacInfo instanceof Map<?, ?> m && m.get("proj:epsg") != null
                        ? "EPSG:" + m.get("proj:epsg") : null);
            } else {
                Map<String, Object> info = gdal.vectorInfo(local);
                summary.put("driver", info.get("driver"));
                summary.put("layers", info.get("layers") instanceof List<?> layers ? layers.stream()
                        .map(layer -> Map.of("name", ((Map<?, ?>) layer).get("name"), "feature_count",
                                ((Map<?, ?>) layer).get("feature_count"))).toList() : List.of());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return summary;
    }

    /**
     * Catalogs one blob into {@code collectionId} (created when missing) and returns the item id. The
     * item is claimed for this source version in the registry first: an item of the same id made from
     * another blob is kept unless {@code overwrite}.
     */
    public Map<String, Object> catalog(String jobId, Map<String, Object> job, String blobName, String collectionId)
            throws InterruptedException {
        String container = (String) job.get("container");
        FileKind kind = FileKind.of(blobName);
        if (kind == FileKind.OTHER) {
            throw new PermanentTaskException("unsupported_file", "'" + blobName + "' is not a raster or vector file "
                    + "geoetl can catalog (by its extension)");
        }
        String itemId = StacItems.itemId(blobName);
        OutputTarget target = OutputTarget.item(collectionId, itemId);
        boolean overwrite = OverwriteParameter.requested(job);
        Map<String, Object> item;
        SourceVersion source;
        try (WorkDir work = WorkDir.create()) {
            WorkDir.Downloaded download = work.downloadVersion(blobs, container, blobName);
            Path local = download.file();
            source = SourceVersion.of((String) job.get("container"), download.blob());
            registry.requireAllowed(target, source, overwrite);
            String href = blobs.url(container, blobName);
            OffsetDateTime now = OffsetDateTime.now();
            item = kind == FileKind.RASTER
                    ? StacItems.rasterItem(collectionId, itemId, rasterStatistics(local), href,
                            FileKind.mediaType(blobName), local, now)
                    : StacItems.vectorItem(collectionId, itemId, gdal.vectorInfo(local), href,
                            FileKind.mediaType(blobName), local, now);
        }
        stac.ensureCollection(collectionId, StacItems.collection(collectionId, "Files catalogued by geoetl"));
        Map<String, Object> document = item;
        transaction.executeWithoutResult(status -> {
            registry.claim(target, source, jobId, overwrite);
            stac.upsertItem(collectionId, document);
        });
        return Map.of("item_id", itemId, "collection_id", collectionId, "kind",
                kind.name().toLowerCase(Locale.ROOT));
    }

    /** Recomputes a collection's extent and summaries from its items. */
    public Map<String, Object> refreshCollection(String collectionId) {
        Map<String, Object> document = new LinkedHashMap<>(stac.findCollection(collectionId)
                .orElse(StacItems.collection(collectionId, "Files catalogued by geoetl")));
        Map<String, Object> extent = stac.collectionExtent(collectionId);
        long items = ((Number) extent.get("items")).longValue();
        if (items > 0) {
            document.put("extent", Map.of(
                    "spatial", Map.of("bbox", List.of(List.of(extent.get("xmin"), extent.get("ymin"),
                            extent.get("xmax"), extent.get("ymax")))),
                    "temporal", Map.of("interval", List.of(List.of(iso(extent.get("start")),
                            iso(extent.get("finish")))))));
        }
        document.put("summaries", Map.of("proj:code", stac.distinctProperty(collectionId, "proj:code")));
        stac.upsertCollection(collectionId, document);
        return Map.of("collection_id", collectionId, "items", items);
    }

    private static String iso(Object timestamp) {
        if (timestamp instanceof Timestamp sql) {
            return sql.toInstant().toString();
        }
        if (timestamp instanceof OffsetDateTime offset) {
            return offset.toInstant().toString();
        }
        return timestamp == null ? null : timestamp.toString();
    }
}
