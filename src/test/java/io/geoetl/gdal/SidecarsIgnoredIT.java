package io.geoetl.gdal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.geoetl.IntegrationTest;
import io.geoetl.catalog.Samples;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Files someone drops beside another's source (an .aux.xml, a world file, an external overview) do not
 * change what geoetl makes of that source: the COGs made with them are byte-for-byte those made
 * without. Tiles read the source in place through /vsiaz/, where GDAL would otherwise look for them.
 */
class SidecarsIgnoredIT extends IntegrationTest {

    /** Another CRS, origin and pixel size, and a nodata value: all would show in the COG if read. */
    private static final String AUX_XML = """
            <PAMDataset>
              <SRS>EPSG:3857</SRS>
              <GeoTransform>1000, 10, 0, 2000, 0, -10</GeoTransform>
              <PAMRasterBand band="1"><NoDataValue>42</NoDataValue></PAMRasterBand>
            </PAMDataset>
            """;
    /** A world file with another origin and pixel size. */
    private static final String WORLD_FILE = "0.5\n0\n0\n-0.5\n100\n50\n";

    @Autowired
    BlobServiceClient blobService;

    @Test
    void cogsMadeWithForeignSidecarsBesideTheSourceEqualThoseMadeWithout() throws Exception {
        BlobContainerClient bronze = blobService.getBlobContainerClient("bronze");
        String run = "sidecars-" + UUID.randomUUID().toString().substring(0, 8);
        // An "external overview" of constant pixels: GDAL would take it for the source's overview level.
        Path overview = Files.createTempFile("constant", ".tif");
        gdal("gdal_translate", "-q", "-of", "GTiff", "-outsize", "48", "45", "-scale", "0", "10000", "7", "7",
                Samples.ELEV.toString(), overview.toString());
        // A per-dataset mask that hides every pixel.
        Path mask = Files.createTempFile("mask", ".tif");
        gdal("gdal_translate", "-q", "-of", "GTiff", "-ot", "Byte", "-scale", "0", "10000", "0", "0", "-mo",
                "INTERNAL_MASK_FLAGS_1=2", Samples.ELEV.toString(), mask.toString());
        // The same DEM as a JPEG 2000 (lossless): JP2OpenJPEG looks for .ovr, .msk and .aux beside its file.
        Path jp2 = Files.createTempFile("elev", ".jp2");
        gdal("gdal_translate", "-q", "-of", "JP2OpenJPEG", "-co", "REVERSIBLE=YES", "-co", "QUALITY=100",
                Samples.ELEV.toString(), jp2.toString());

        for (Map.Entry<String, Path> source : Map.of("elev.tif", Samples.ELEV, "elev.jp2", jp2).entrySet()) {
            String name = source.getKey();
            String stem = name.substring(0, name.lastIndexOf('.'));
            Samples.upload(bronze, run + "/plain/" + name, source.getValue());
            Samples.upload(bronze, run + "/dirty/" + name, source.getValue());
            put(bronze, run + "/dirty/" + name + ".aux.xml", AUX_XML.getBytes(StandardCharsets.UTF_8));
            put(bronze, run + "/dirty/" + stem + ".aux.xml", AUX_XML.getBytes(StandardCharsets.UTF_8));
            put(bronze, run + "/dirty/" + stem + ".tfw", WORLD_FILE.getBytes(StandardCharsets.UTF_8));
            put(bronze, run + "/dirty/" + stem + ".j2w", WORLD_FILE.getBytes(StandardCharsets.UTF_8));
            Samples.upload(bronze, run + "/dirty/" + name + ".ovr", overview);
            Samples.upload(bronze, run + "/dirty/" + stem + ".aux", overview);
            Samples.upload(bronze, run + "/dirty/" + name + ".msk", mask);

            for (String jobType : List.of("process_large_raster", "process_raster")) {
                String collection = run + "-" + stem + "-" + name.substring(name.length() - 3) + "-"
                        + jobType.replace('_', '-');
                Map<String, String> plain = cogs(jobType, collection, run + "/plain/" + name);
                Map<String, String> dirty = cogs(jobType, collection, run + "/dirty/" + name);

                assertThat(plain).as("%s of %s", jobType, name).isNotEmpty();
                assertThat(dirty).as("SHA-256 of each COG of %s of %s", jobType, name).isEqualTo(plain);
            }
        }
    }

    private static void gdal(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    /** Runs the job in the source's CRS (no reprojection) and returns the SHA-256 of its COGs by file name. */
    private Map<String, String> cogs(String jobType, String collection, String blobName) throws Exception {
        String tiling = jobType.equals("process_large_raster") ? ", \"tile_size_pixels\": 32" : "";
        Map<String, Object> status = awaitEnded(submit(jobType, "{\"blob_name\": \"" + blobName + "\", "
                + "\"target_crs\": \"keep\", \"collection_id\": \"" + collection + "\"" + tiling + "}"),
                Duration.ofMinutes(3));
        assertThat(status.get("status")).as(status.toString()).isEqualTo("completed");
        BlobContainerClient silver = blobService.getBlobContainerClient("silver");
        String itemId = blobName.replace("/", "__").replaceFirst("\\.[a-z0-9]+$", "");
        Map<String, String> cogs = new TreeMap<>();
        for (BlobItem blob : silver.listBlobs(new ListBlobsOptions().setPrefix(collection + "/" + itemId + "/"),
                null)) {
            if (blob.getName().endsWith(".tif")) {
                String name = blob.getName().substring(blob.getName().lastIndexOf('/') + 1);
                cogs.put(jobType.equals("process_raster") ? "cog.tif" : name,
                        sha256(silver.getBlobClient(blob.getName()).downloadContent().toBytes()));
            }
        }
        return cogs;
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static void put(BlobContainerClient container, String name, byte[] bytes) {
        container.getBlobClient(name).upload(BinaryData.fromBytes(bytes), true);
    }
}
