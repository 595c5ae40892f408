package io.geoetl.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.geoetl.config.RasterProperties;
import io.geoetl.config.StorageProperties;
import io.geoetl.error.PermanentTaskException;
import io.geoetl.gdal.Gdal;
import io.geoetl.outputs.OutputRegistry;
import io.geoetl.outputs.OutputRegistry.OwnedBlob;
import io.geoetl.outputs.OutputTarget;
import io.geoetl.outputs.OverwriteParameter;
import io.geoetl.outputs.SourceVersion;
import io.geoetl.outputs.StaleBlobs;
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
    private final StorageProperties storage;
    private final StaleBlobs staleBlobs;

    public CatalogService(BlobStore blobs, Gdal gdal, StacRepository stac, OutputRegistry registry,
            TransactionTemplate transaction, RasterProperties rasterLimits, StorageProperties storage,
            StaleBlobs staleBlobs) {
        this.rasterLimits = rasterLimits;
        this.storage = storage;
        this.staleBlobs = staleBlobs;
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
     * another blob is kept unless {@code overwrite}. A raster's item gets a thumbnail, written to silver
     * under {@code {collection}/{item}/{runFolder}-thumbnail.png} and recorded for the item, so that
     * unpublish and the next version's catalog remove it.
     */
    public Map<String, Object> catalog(String jobId, String runFolder, Map<String, Object> job, String blobName,
            String collectionId) throws InterruptedException {
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
        String silver = storage.silverContainer();
        String thumbnail = null;
        try (WorkDir work = WorkDir.create()) {
            WorkDir.Downloaded download = work.downloadVersion(blobs, container, blobName);
            Path local = download.file();
            source = SourceVersion.of((String) job.get("container"), download.blob());
            registry.requireAllowed(target, source, overwrite);
            String href = blobs.url(container, blobName);
            OffsetDateTime now = OffsetDateTime.now();
            if (kind == FileKind.RASTER) {
                Map<String, Object> info = rasterStatistics(local);
                RasterPreview.Preview preview = null;
                // Without a footprint rasterItem refuses the file (missing_crs): no preview to make.
                if (info.get("wgs84Extent") != null) {
                    preview = RasterPreview.make(gdal, local.toString(), Gdal.RASTER_DRIVERS, info, work.root(),
                            rasterLimits.gdalTimeout());
                    info = RasterPreview.withStatistics(info, preview.statistics());
                }
                item = StacItems.rasterItem(collectionId, itemId, info, href, FileKind.mediaType(blobName), local,
                        now);
                if (preview != null) {
                    thumbnail = collectionId + "/" + itemId + "/" + runFolder + "-thumbnail.png";
                    blobs.upload(silver, thumbnail, preview.thumbnail());
                    StacItems.addThumbnail(item, blobs.url(silver, thumbnail));
                }
            } else {
                item = StacItems.vectorItem(collectionId, itemId, gdal.vectorInfo(local), href,
                        FileKind.mediaType(blobName), local, now);
            }
        }
        stac.ensureCollection(collectionId, StacItems.collection(collectionId, "Files catalogued by geoetl"));
        Map<String, Object> document = item;
        String written = thumbnail;
        List<OwnedBlob> replaced = new ArrayList<>();
        try {
            transaction.executeWithoutResult(status -> {
                replaced.addAll(registry.claim(target, source, jobId, overwrite).previousBlobs());
                stac.upsertItem(collectionId, document);
                if (written != null) {
                    registry.recordBlob(silver, written, target, jobId);
                }
            });
        } catch (PermanentTaskException refused) {
            // Nothing points at this run's thumbnail unless an earlier attempt of this run committed it.
            if (written != null && !registry.recordedBlob(silver, written)) {
                blobs.deleteIfExists(silver, written);
            }
            throw refused;
        }
        // The previous version's thumbnail (a new run writes a new name), once the item points at this one.
        staleBlobs.remove(replaced, written == null ? List.of() : List.of(silver + "/" + written));
        return Map.of("item_id", itemId, "collection_id", collectionId, "kind",
                kind.name().toLowerCase(Locale.ROOT));
    }

    /** Recomputes a collection's extent and summaries from its items. */
    public Map<String, Object> refreshCollection(String collectionId) {
        return refreshCollection(collectionId, null);
    }

    /**
     * Recomputes a collection's extent and summaries from the items it holds now (after items were
     * added, replaced or removed); a collection left without items gets the empty extent again.
     *
     * @param assets the collection's assets (a tiled raster's mosaic thumbnail) to set, an empty map to
     *               remove them, or null to keep what the document has
     */
    public Map<String, Object> refreshCollection(String collectionId, Map<String, Object> assets) {
        Map<String, Object> document = new LinkedHashMap<>(stac.findCollection(collectionId)
                .orElse(StacItems.collection(collectionId, "Files catalogued by geoetl")));
        if (assets != null && assets.isEmpty()) {
            document.remove("assets");
        } else if (assets != null) {
            document.put("assets", assets);
        }
        Map<String, Object> extent = stac.collectionExtent(collectionId);
        long items = ((Number) extent.get("items")).longValue();
        if (items == 0) {
            document.put("extent", StacItems.collection(collectionId, "").get("extent"));
        } else {
            document.put("extent", Map.of(
                    "spatial", Map.of("bbox", List.of(List.of(extent.get("xmin"), extent.get("ymin"),
                            extent.get("xmax"), extent.get("ymax")))),
                    "temporal", Map.of("interval", List.of(List.of(iso(extent.get("start")),
                            iso(extent.get("finish")))))));
        }
        // STAC wants at least one value in a summary: a collection without items has none.
        List<Object> codes = stac.distinctProperty(collectionId, "proj:code");
        if (codes.isEmpty()) {
            document.remove("summaries");
        } else {
            document.put("summaries", Map.of("proj:code", codes));
        }
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
