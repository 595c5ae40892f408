package io.geoetl.raster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.geoetl.catalog.CatalogService;
import io.geoetl.catalog.RasterPreview;
import io.geoetl.catalog.StacItems;
import io.geoetl.catalog.WorkDir;
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
import io.geoetl.stac.StacRepository;
import io.geoetl.storage.BlobStore;
import io.geoetl.workflow.PriorTask;
import io.geoetl.workflow.TaskClass;
import io.geoetl.workflow.TaskHandler;
import io.geoetl.workflow.TaskInput;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** The three raster task types: plan (validate), cog (one per grid or tile), publish (STAC + mosaic). */
final class RasterHandlers {

    static final String PLAN = "raster_plan";
    static final String COG = "raster_cog";
    static final String PUBLISH = "raster_publish";

    private RasterHandlers() {
    }

    @Component
    static class Plan implements TaskHandler {

        private final RasterPlanner planner;

        Plan(RasterPlanner planner) {
            this.planner = planner;
        }

        @Override
        public String taskType() {
            return PLAN;
        }

        @Override
        public TaskClass taskClass() {
            return TaskClass.HEAVY;
        }

        @Override
        public Map<String, Object> handle(TaskInput input) throws Exception {
            return planner.plan(input.jobParameters(), input.runFolder(),
                    Boolean.TRUE.equals(input.parameters().get("force_tiles")));
        }
    }

    @Component
    static class Cog implements TaskHandler {

        private final RasterCogMaker maker;

        Cog(RasterCogMaker maker) {
            this.maker = maker;
        }

        @Override
        public String taskType() {
            return COG;
        }

        @Override
        public TaskClass taskClass() {
            return TaskClass.HEAVY;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map<String, Object> handle(TaskInput input) throws Exception {
            Map<String, Object> plan = (Map<String, Object>) input.parameters().get("plan");
            Map<String, Object> tile = (Map<String, Object>) input.parameters().get("tile");
            return maker.make(input.jobParameters(), plan, tile);
        }
    }

    /**
     * Stage 3: switches the published item to this run's files in one transaction, after claiming the
     * item for this source version in the registry; then removes the files of the version it replaced.
     * A run refused there (another source owns the item, or a newer version was published meanwhile)
     * deletes its own files, which nothing points at, and fails.
     */
    @Component
    static class Publish implements TaskHandler {

        private final StacRepository stac;
        private final CatalogService catalog;
        private final BlobStore blobs;
        private final StorageProperties storage;
        private final OutputRegistry registry;
        private final StaleBlobs staleBlobs;
        private final TransactionTemplate transaction;
        private final Gdal gdal;
        private final RasterProperties properties;

        Publish(StacRepository stac, CatalogService catalog, BlobStore blobs, StorageProperties storage,
                OutputRegistry registry, StaleBlobs staleBlobs, TransactionTemplate transaction, Gdal gdal,
                RasterProperties properties) {
            this.gdal = gdal;
            this.properties = properties;
            this.stac = stac;
            this.catalog = catalog;
            this.blobs = blobs;
            this.storage = storage;
            this.registry = registry;
            this.staleBlobs = staleBlobs;
            this.transaction = transaction;
        }

        @Override
        public String taskType() {
            return PUBLISH;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map<String, Object> handle(TaskInput input) throws Exception {
            Map<String, Object> job = input.jobParameters();
            Map<String, Object> plan = (Map<String, Object>) input.parameters().get("plan");
            String collection = (String) job.get("collection_id");
            String itemId = (String) plan.get("item_id");
            OutputTarget target = RasterParameters.target(job);
            SourceVersion source = SourceVersion.recorded(job, plan);
            boolean tiled = Boolean.TRUE.equals(plan.get("tiled"));
            String silver = storage.silverContainer();
            String prefix = RasterCogMaker.outputPrefix(job, plan);
            List<String> written = new ArrayList<>();
            List<Map<String, Object>> items = new ArrayList<>();
            String tiles = StacItems.tilesCollection(collection, itemId);
            String vrtBlob = prefix + "/mosaic.vrt";
            String mosaicThumbnail = prefix + "/mosaic-thumbnail.png";
            if (tiled) {
                for (Map<String, Object> tile : (List<Map<String, Object>>) plan.get("tiles")) {
                    Map<String, Object> made = previous(input, (String) tile.get("key"));
                    items.add((Map<String, Object>) made.get("item"));
                    written.add((String) made.get("blob"));
                    if (made.get("thumbnail_blob") instanceof String thumbnail) {
                        written.add(thumbnail);
                    }
                }
                try (WorkDir work = WorkDir.create()) {
                    Path vrt = work.root().resolve("mosaic.vrt");
                    Files.writeString(vrt, MosaicVrt.xml(plan));
                    blobs.upload(silver, vrtBlob, vrt);
                    writeMosaicThumbnail(work, plan, silver, prefix, mosaicThumbnail);
                }
                written.add(vrtBlob);
                written.add(mosaicThumbnail);
            } else {
                Map<String, Object> cog = previous(input, RasterWorkflows.WHOLE);
                items.add((Map<String, Object>) cog.get("item"));
                written.add((String) cog.get("blob"));
                if (cog.get("thumbnail_blob") instanceof String thumbnail) {
                    written.add(thumbnail);
                }
            }
            boolean[] otherCollectionChanged = {false};
            boolean overwrite = OverwriteParameter.requested(job);
            boolean republish = publishedBy(target, input.jobId(), source);
            List<OwnedBlob> replaced = new ArrayList<>();
            try {
                if (tiled && !republish) {
                    requireUnchanged(source);
                }
                requireWritten(silver, prefix, written);
                stac.ensureCollection(tiled ? tiles : collection, tiled ? StacItems.collection(tiles, "Tiles of "
                        + job.get("blob_name") + " with a VRT mosaic") : StacItems.collection(collection,
                                "Cloud Optimized GeoTIFFs"));
                transaction.executeWithoutResult(status -> {
                    replaced.addAll(registry.claim(target, source, input.jobId(), overwrite).previousBlobs());
                    // Only this item's tiles ("<item>-tile_..."): the tiles collection's name alone may be shared.
                    String tilePrefix = itemId + "-tile_";
                    if (tiled) {
                        for (int from = 0; from < items.size(); from += 500) {
                            stac.upsertItems(tiles, items.subList(from, Math.min(items.size(), from + 500)));
                        }
                        // A new version may be cut into fewer tiles, or was one COG before.
                        stac.deleteItemsExcept(tiles, tilePrefix, items.stream().map(item -> (String) item.get("id"))
                                .toList());
                        otherCollectionChanged[0] = stac.deleteItem(collection, itemId);
                    } else {
                        stac.upsertItem(collection, items.get(0));
                        otherCollectionChanged[0] = stac.deleteItemsExcept(tiles, tilePrefix, List.of()) > 0;
                    }
                    written.forEach(blob -> registry.recordBlob(silver, blob, target, input.jobId()));
                });
            } catch (PermanentTaskException refused) {
                // This run's files, unless a commit of this job recorded them or an item points at them.
                List<String> urls = written.stream().map(blob -> blobs.url(silver, blob)).toList();
                Set<String> referenced = registry.referencedByItems(urls);
                written.stream().filter(blob -> !registry.recordedBlob(silver, blob)
                        && !referenced.contains(blobs.url(silver, blob))).forEach(blob -> blobs.deleteIfExists(silver,
                                blob));
                throw refused;
            }
            Map<String, Object> result = new LinkedHashMap<>();
            // Both collections' extents follow the items: a version cut into tiles leaves the parent
            // collection, a whole COG that replaces tiles empties the tiles collection (and its thumbnail goes).
            if (tiled) {
                Map<String, Object> refreshed = catalog.refreshCollection(tiles, Map.of("thumbnail",
                        StacItems.thumbnailAsset(blobs.url(silver, mosaicThumbnail))));
                if (otherCollectionChanged[0]) {
                    catalog.refreshCollection(collection);
                }
                result.put("collection_id", tiles);
                result.put("tiles", items.size());
                result.put("items", refreshed.get("items"));
                result.put("mosaic", blobs.url(silver, vrtBlob));
                result.put("thumbnail", blobs.url(silver, mosaicThumbnail));
            } else {
                catalog.refreshCollection(collection);
                if (otherCollectionChanged[0]) {
                    catalog.refreshCollection(tiles, Map.of());
                }
                result.put("collection_id", collection);
                result.put("item_id", itemId);
                result.put("cog", blobs.url(silver, written.get(0)));
            }
            // After the collections point at this run's thumbnail, not before.
            List<String> removed = staleBlobs.remove(replaced, written.stream().map(blob -> silver + "/" + blob)
                    .toList());
            result.put("replaced_blobs", removed.size());
            return result;
        }

        /**
         * The thumbnail of the whole mosaic: the VRT is read where its tiles are (GDAL's /vsiaz/ path of
         * this run's folder), so only the tiles' overviews the sample needs are fetched.
         */
        private void writeMosaicThumbnail(WorkDir work, Map<String, Object> plan, String silver, String prefix,
                String thumbnailBlob) throws Exception {
            Path remote = work.root().resolve("mosaic-remote.vrt");
            Files.writeString(remote, MosaicVrt.xml(plan, Gdal.vsiaz(silver, prefix)));
            RasterPreview.Preview preview = RasterPreview.make(gdal, remote.toString(), List.of(),
                    gdal.ownFileInfo(remote, false), work.root(), properties.gdalTimeout());
            blobs.upload(silver, thumbnailBlob, preview.thumbnail());
        }

        /** Whether this job already switched the target to this version (this is a retry after that commit). */
        private boolean publishedBy(OutputTarget target, String jobId, SourceVersion source) {
            return registry.owner(target).map(owner -> jobId.equals(owner.jobId()) && source.etag() != null
                    && source.etag().equals(owner.etag())).orElse(false);
        }

        /** Every file the item will point at exists (one listing of this run's files). */
        private void requireWritten(String silver, String prefix, List<String> written) {
            Set<String> present = new HashSet<>();
            blobs.list(silver, prefix).forEachRemaining(blob -> present.add(blob.name()));
            List<String> missing = written.stream().filter(blob -> !present.contains(blob)).toList();
            if (!missing.isEmpty()) {
                throw new PermanentTaskException("output_missing", missing.size() + " of this run's files are gone "
                        + "from " + silver + " (first: " + missing.get(0) + "); resubmit the job to make them again");
            }
        }

        /**
         * Tiles read the source in place, so together they hold one version (the plan's) only if the blob
         * did not change while they ran: a newer version is published by its own job, never as a mosaic
         * of two versions under this one's name. (The whole-grid COG is made from one pinned download.)
         */
        private void requireUnchanged(SourceVersion source) {
            String now = blobs.describe(source.container(), source.blob()).etag();
            if (source.etag() != null && !source.etag().equals(now)) {
                throw new PermanentTaskException("source_changed", source.describe() + " changed while this job ran "
                        + "(ETag " + source.etag() + ", now " + now + "); its output is not published. Resubmit the "
                        + "job (auto-ingest submits one for the new version by itself)");
            }
        }

        private static Map<String, Object> previous(TaskInput input, String key) {
            return input.previousStage().apply(key).map(PriorTask::result).orElseThrow(() ->
                    new PermanentTaskException("missing_tile", "stage 2 has no finished task " + key));
        }
    }
}
