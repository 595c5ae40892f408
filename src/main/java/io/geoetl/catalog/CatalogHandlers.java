package io.geoetl.catalog;

import java.util.Map;

import io.geoetl.workflow.TaskClass;
import io.geoetl.workflow.TaskHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Handlers that open files with GDAL or write the STAC catalog. */
@Configuration
class CatalogHandlers {

    static final String METADATA = "file_metadata";
    static final String CATALOG = "catalog_blob";
    static final String REFRESH = "collection_refresh";

    /**
     * list_container stage 2: gdalinfo / OGR metadata of one file. Heavy, like catalog_blob: the whole
     * file is downloaded and read (statistics over every pixel, a pass over every feature), so a listing of
     * thousands of files must not run sixteen of these at once beside the raster and vector pipelines.
     */
    @Bean
    TaskHandler fileMetadataHandler(CatalogService catalog) {
        return TaskHandler.of(METADATA, TaskClass.HEAVY, input -> catalog.describe(
                (String) input.jobParameters().get("container"), (String) input.parameters().get("blob_name")));
    }

    /** catalog_file and sync_container stage 2: one blob becomes one STAC Item (GDAL over the whole file: heavy). */
    @Bean
    TaskHandler catalogBlobHandler(CatalogService catalog) {
        return TaskHandler.of(CATALOG, TaskClass.HEAVY, input -> {
            Map<String, Object> job = input.jobParameters();
            String blobName = input.parameters().containsKey("blob_name")
                    ? (String) input.parameters().get("blob_name") : (String) job.get("blob_name");
            Map<String, Object> result = catalog.catalog(input.jobId(), input.runFolder(), job, blobName,
                    (String) job.get("collection_id"));
            if (Boolean.TRUE.equals(input.parameters().get("refresh_collection"))) {
                catalog.refreshCollection((String) job.get("collection_id"));
            }
            return result;
        });
    }

    /** sync_container stage 3: the collection's extent and summaries from its items (the database only: light). */
    @Bean
    TaskHandler collectionRefreshHandler(CatalogService catalog) {
        return TaskHandler.of(REFRESH, TaskClass.LIGHT, input -> catalog.refreshCollection(
                (String) input.jobParameters().get("collection_id")));
    }
}
