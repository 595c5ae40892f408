package io.geoetl.raster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.geoetl.catalog.CatalogService;
import io.geoetl.catalog.StacItems;
import io.geoetl.catalog.WorkDir;
import io.geoetl.config.StorageProperties;
import io.geoetl.error.PermanentTaskException;
import io.geoetl.stac.StacRepository;
import io.geoetl.storage.BlobStore;
import io.geoetl.workflow.PriorTask;
import io.geoetl.workflow.TaskClass;
import io.geoetl.workflow.TaskHandler;
import io.geoetl.workflow.TaskInput;
import org.springframework.stereotype.Component;

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
            return planner.plan(input.jobParameters(), Boolean.TRUE.equals(input.parameters().get("force_tiles")));
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

    @Component
    static class Publish implements TaskHandler {

        private final StacRepository stac;
        private final CatalogService catalog;
        private final BlobStore blobs;
        private final StorageProperties storage;

        Publish(StacRepository stac, CatalogService catalog, BlobStore blobs, StorageProperties storage) {
            this.stac = stac;
            this.catalog = catalog;
            this.blobs = blobs;
            this.storage = storage;
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
            if (!Boolean.TRUE.equals(plan.get("tiled"))) {
                Map<String, Object> cog = previous(input, RasterWorkflows.WHOLE);
                stac.ensureCollection(collection, StacItems.collection(collection, "Cloud Optimized GeoTIFFs"));
                stac.upsertItem(collection, (Map<String, Object>) cog.get("item"));
                catalog.refreshCollection(collection);
                return Map.of("collection_id", collection, "item_id", itemId, "cog", cog.get("href"));
            }
            String tiles = RasterCogMaker.tilesCollection(collection, itemId);
            stac.ensureCollection(tiles, StacItems.collection(tiles, "Tiles of " + job.get("blob_name")
                    + " with a VRT mosaic"));
            List<Map<String, Object>> items = new ArrayList<>();
            for (Map<String, Object> tile : (List<Map<String, Object>>) plan.get("tiles")) {
                items.add((Map<String, Object>) previous(input, (String) tile.get("key")).get("item"));
                if (items.size() == 500) {
                    stac.upsertItems(tiles, items);
                    items.clear();
                }
            }
            stac.upsertItems(tiles, items);
            String vrtBlob = collection + "/" + itemId + "/mosaic.vrt";
            try (WorkDir work = WorkDir.create()) {
                Path vrt = work.root().resolve("mosaic.vrt");
                Files.writeString(vrt, MosaicVrt.xml(plan));
                blobs.upload(storage.silverContainer(), vrtBlob, vrt);
            }
            Map<String, Object> refreshed = catalog.refreshCollection(tiles);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("collection_id", tiles);
            result.put("tiles", ((List<?>) plan.get("tiles")).size());
            result.put("items", refreshed.get("items"));
            result.put("mosaic", blobs.url(storage.silverContainer(), vrtBlob));
            return result;
        }

        private static Map<String, Object> previous(TaskInput input, String key) {
            return input.previousStage().apply(key).map(PriorTask::result).orElseThrow(() ->
                    new PermanentTaskException("missing_tile", "stage 2 has no finished task " + key));
        }
    }
}
