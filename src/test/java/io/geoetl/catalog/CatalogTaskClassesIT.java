package io.geoetl.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.config.EngineProperties;
import io.geoetl.workflow.TaskClass;
import io.geoetl.workflow.WorkflowCatalog;
import io.geoetl.workflow.probe.ProbeGates;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * GDAL reads over whole files (catalog_file, list_container's metadata, sync_container's catalog step:
 * a download, then gdalinfo with statistics over every pixel or an OGR pass over every feature) run as
 * heavy tasks: bounded by GEOETL_HEAVY_THREADS like the raster and vector pipelines, so a sync of 10,000
 * files cannot run 16 of them at once beside a COG build.
 */
class CatalogTaskClassesIT extends IntegrationTest {

    @Autowired
    EngineProperties engine;

    @Autowired
    ProbeGates gates;

    @Autowired
    WorkflowCatalog workflows;

    @Autowired
    BlobServiceClient blobService;

    @Test
    void catalogAndMetadataTasksWaitForTheHeavyPoolWhileLightWorkGoesOn() {
        String prefix = "it-heavy-" + UUID.randomUUID() + "/";
        Samples.upload(blobService.getBlobContainerClient("bronze"), prefix + "dem/elev.tif", Samples.ELEV);
        String collection = "heavy-" + UUID.randomUUID().toString().substring(0, 8);
        try (ProbeGates.Gate gate = gates.create(unique("heavy"))) {
            // Every heavy slot held until the gate opens (shortly: the test profile stops tasks after 20 s).
            String probe = submit("pool_probe", "{\"n\": " + engine.heavyThreads() + ", \"gate\": \"" + gate.name()
                    + "\"}");
            await(() -> gate.waiting() == engine.heavyThreads(), Duration.ofSeconds(60), "the heavy pool to fill");

            String catalog = submit("catalog_file", "{\"blob_name\": \"" + prefix + "dem/elev.tif\", "
                    + "\"collection_id\": \"" + collection + "\"}");
            String list = submit("list_container", "{\"prefix\": \"" + prefix + "\"}");
            String sync = submit("sync_container", "{\"prefix\": \"" + prefix + "\", \"collection_id\": \""
                    + collection + "-sync\"}");
            // The listings are light and run; the GDAL tasks they plan are sent, and wait.
            await(() -> count("job_id in (?, ?, ?) and task_type in (?, ?) and status <> 'pending'", catalog, list,
                    sync, CatalogHandlers.CATALOG, CatalogHandlers.METADATA) == 3, Duration.ofSeconds(60), "the three GDAL tasks to be sent");
            String light = submit("hello_world", "{\"n\": 2, \"message\": \"" + unique("light") + "\"}");
            assertThat(awaitEnded(light, Duration.ofSeconds(60)).get("status")).isEqualTo("completed");

            // Light work submitted after them has finished; the GDAL tasks were never claimed.
            assertThat(jdbc.queryForList("select task_type, status, attempt from task where job_id in (?, ?, ?) "
                    + "and task_type in (?, ?)", catalog, list, sync, CatalogHandlers.CATALOG, CatalogHandlers.METADATA)).hasSize(3).allSatisfy(task ->
                            assertThat(task).containsEntry("status", "queued").containsEntry("attempt", 0));
            assertThat(count("job_id = ? and status = 'processing'", probe)).isEqualTo(engine.heavyThreads());
            // The class each task's message carries (the dispatcher takes it from the task type's handler).
            for (String job : List.of(catalog, list, sync)) {
                for (Map<String, Object> task : jdbc.queryForList("select stage, task_type from task where job_id = ?",
                        job)) {
                    boolean readsFiles = List.of(CatalogHandlers.CATALOG, CatalogHandlers.METADATA).contains(
                            (String) task.get("task_type"));
                    assertThat(workflows.handler((String) task.get("task_type")).taskClass()).as(task.toString())
                            .isEqualTo(readsFiles ? TaskClass.HEAVY : TaskClass.LIGHT);
                }
            }

            gate.open();

            for (String job : List.of(probe, catalog, list, sync)) {
                assertThat(awaitEnded(job, Duration.ofSeconds(120)).get("status")).as(job).isEqualTo("completed");
            }
            // sync_container's stage 3 (the collection's extent, from the database) stays light.
            assertThat(workflows.handler(CatalogHandlers.REFRESH).taskClass()).isEqualTo(TaskClass.LIGHT);
        }
    }

    private int count(String condition, Object... arguments) {
        return jdbc.queryForObject("select count(*) from task where " + condition, Integer.class, arguments);
    }
}
