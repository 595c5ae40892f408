package io.geoetl.gdal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.IntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A file's content never makes a worker connect anywhere but the blob store: every job type that
 * opens a format, and auto-ingest, run on files that point GDAL at a listener on 127.0.0.2, and the
 * listener sees no connection. The files: a GeoJSON {@code crs} link, a KML and a KMZ with a
 * NetworkLink, a remote icon and a remote style, a VRT saved as .tif and an OGR VRT saved as .geojson
 * with {@code /vsicurl/} sources, and a real GeoTIFF beside an .aux.xml whose overview file is a URL.
 */
class NoNetworkFromFileContentIT extends IntegrationTest {

    private static final Duration JOB_DEADLINE = Duration.ofMinutes(5);

    private static HostileListener listener;

    @Autowired
    BlobServiceClient blobService;

    @BeforeAll
    static void listen() throws Exception {
        listener = new HostileListener();
    }

    @AfterAll
    static void stopListening() throws Exception {
        listener.close();
    }

    /** One job of the matrix: what it ran on, and its id. */
    private record MatrixJob(String label, String jobId) {
    }

    @Test
    void noJobTypeAndNotAutoIngestConnectsWhereAFilePoints() {
        BlobContainerClient bronze = blobService.getBlobContainerClient("bronze");
        String run = "h" + UUID.randomUUID().toString().substring(0, 8);
        String collection = "hostile-" + run;
        List<MatrixJob> jobs = new ArrayList<>();

        for (String jobType : List.of("process_raster", "process_large_raster", "catalog_file")) {
            for (String name : HostileFiles.RASTER_CASES.keySet()) {
                String blob = upload(bronze, run + "/" + jobType + "/" + run + "-" + name, jobType);
                jobs.add(new MatrixJob(jobType + " " + name, submit(jobType, "{\"blob_name\": \"" + blob
                        + "\", \"collection_id\": \"" + collection + "\"}")));
            }
        }
        int table = 0;
        for (String name : HostileFiles.VECTOR_CASES.keySet()) {
            String blob = upload(bronze, run + "/process_vector/" + run + "-" + name, "process_vector");
            jobs.add(new MatrixJob("process_vector " + name, submit("process_vector", "{\"blob_name\": \"" + blob
                    + "\", \"target_table\": \"" + run + "_" + table++ + "\", \"collection_id\": \""
                    + collection + "\"}")));
            String catalogued = upload(bronze, run + "/catalog_file/" + run + "-" + name, "catalog_file");
            jobs.add(new MatrixJob("catalog_file " + name, submit("catalog_file", "{\"blob_name\": \""
                    + catalogued + "\", \"collection_id\": \"" + collection + "\"}")));
        }
        for (String jobType : List.of("list_container", "sync_container")) {
            String folder = run + "/" + jobType + "/";
            uploadEveryCase(bronze, folder, run, jobType);
            String collectionParameter = jobType.equals("sync_container")
                    ? ", \"collection_id\": \"" + collection + "-sync\"" : "";
            jobs.add(new MatrixJob(jobType, submit(jobType, "{\"prefix\": \"" + folder + "\""
                    + collectionParameter + "}")));
        }
        Map<String, String> dropped = uploadEveryCase(bronze, "auto-ingest/" + run + "/", run, "auto-ingest");
        dropped.forEach((name, blob) -> {
            // Every file here is one auto-ingest submits (the .aux.xml beside the GeoTIFF is skipped).
            Map<String, Object> event = awaitValue(() -> jdbc.queryForList("select status, job_id, reason from "
                    + "ingest_event where name = ? and status <> 'waiting'", blob), events -> !events.isEmpty(),
                    JOB_DEADLINE, "auto-ingest to decide on " + blob).get(0);
            assertThat(event.get("status")).as("auto-ingest of %s: %s", name, event).isEqualTo("submitted");
            jobs.add(new MatrixJob("auto-ingest " + name, (String) event.get("job_id")));
        });
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (MatrixJob job : jobs) {
            Map<String, Object> status = awaitEnded(job.jobId(), JOB_DEADLINE);
            outcomes.put(job.label(), status.get("status") + (status.get("error_details") == null ? ""
                    : " " + status.get("error_details")));
        }

        assertThat(listener.connections()).as("connections to the host the files point at; the jobs ended: %s",
                outcomes).isEmpty();
        // Refusals say what was wrong with the file, not where a worker kept its scratch copy.
        assertThat(outcomes.values()).noneMatch(outcome -> outcome.contains(System.getProperty("java.io.tmpdir")
                .replaceFirst("/$", "") + "/geoetl-"));
        // The legitimate GeoTIFF beside the hostile .aux.xml still works in every raster job type.
        assertThat(outcomes).hasEntrySatisfying("process_raster overview-url.tif", outcome ->
                assertThat(outcome).startsWith("completed"));
        assertThat(outcomes).hasEntrySatisfying("process_large_raster overview-url.tif", outcome ->
                assertThat(outcome).startsWith("completed"));
        assertThat(outcomes).hasEntrySatisfying("catalog_file overview-url.tif", outcome ->
                assertThat(outcome).startsWith("completed"));
    }

    /** Uploads one case (and its sidecar) with URLs naming {@code who}; returns the file's blob name. */
    private static String upload(BlobContainerClient container, String blobName, String who) {
        String caseName = blobName.substring(blobName.lastIndexOf('/') + 1);
        HostileFiles.blobs(blobName, who + "/" + caseName, listener::url).forEach((name, bytes) ->
                container.getBlobClient(name).upload(BinaryData.fromBytes(bytes), true));
        return blobName;
    }

    /** Uploads every case (with its sidecar) into one folder; returns each case's blob name. */
    private static Map<String, String> uploadEveryCase(BlobContainerClient container, String folder, String run,
            String who) {
        Map<String, String> blobs = new LinkedHashMap<>();
        for (String name : HostileFiles.RASTER_CASES.keySet()) {
            blobs.put(name, upload(container, folder + run + "-" + name, who));
        }
        for (String name : HostileFiles.VECTOR_CASES.keySet()) {
            blobs.put(name, upload(container, folder + run + "-" + name, who));
        }
        return blobs;
    }
}
