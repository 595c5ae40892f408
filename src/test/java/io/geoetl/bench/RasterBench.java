package io.geoetl.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;

/**
 * bench/raster: times process_raster end to end against the same work done with the raw tools in
 * the same run, and reports the service JVM's peak RSS. Run by bench/raster/run, which starts the
 * service (GEOETL_BENCH_URL, its pid in GEOETL_BENCH_PID) and generates the raster.
 */
public final class RasterBench {

    private RasterBench() {
    }

    public static void main(String[] args) throws Exception {
        Path raster = Path.of(args[0]);
        BenchService service = new BenchService(System.getenv("GEOETL_BENCH_URL"));
        BlobContainerClient bronze = new BlobServiceClientBuilder().connectionString(
                System.getenv("AZURE_STORAGE_CONNECTION_STRING")).buildClient().getBlobContainerClient("bronze");
        BlobContainerClient silver = bronze.getServiceClient().getBlobContainerClient("silver");
        bronze.getBlobClient("bench/big.tif").uploadFromFile(raster.toString(), true);
        System.out.printf("raster: %s, %.0f MB%n", raster.getFileName(), Files.size(raster) / 1e6);

        // Baseline before and after geoetl, so neither side profits from running second (cache, Azurite GC).
        double[] translate = new double[2];
        double before = baseline(bronze, silver, translate, 0);
        double geoetl = service.timeJob("process_raster", "{\"blob_name\": \"bench/big.tif\", \"target_crs\": "
                + "\"keep\", \"collection_id\": \"bench\"}");
        double after = baseline(bronze, silver, translate, 1);
        double baseline = (before + after) / 2;
        double bare = (translate[0] + translate[1]) / 2;

        double tiles = service.timeJob("process_large_raster", "{\"blob_name\": \"bench/big.tif\", \"target_crs\": "
                + "\"keep\", \"collection_id\": \"bench-tiles\", \"tile_size_pixels\": "
                + System.getenv().getOrDefault("BENCH_TILE_PIXELS", "10240") + "}");

        System.out.printf("process_raster end to end: %.1f s%n", geoetl);
        System.out.printf("baseline (download + gdal_translate -of COG + validator + upload): %.1f s (%.1f s before, "
                + "%.1f s after)%n", baseline, before, after);
        System.out.printf("bare gdal_translate -of COG: %.1f s%n", bare);
        System.out.printf("ratio geoetl / baseline: %.2f (target <= 1.10)%n", geoetl / baseline);
        System.out.printf("ratio geoetl / bare gdal_translate: %.2f%n", geoetl / bare);
        System.out.printf("process_large_raster (tiles, 2 heavy workers): %.1f s, ratio to single COG %.2f%n", tiles,
                tiles / geoetl);
        String pid = System.getenv("GEOETL_BENCH_PID");
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM")) {
                System.out.printf("service JVM peak RSS: %s (target < 512 MB)%n", line.substring(6).trim());
            }
        }
    }

    /** Download, gdal_translate -of COG with geoetl's options, GDAL's validator, upload; seconds. */
    private static double baseline(BlobContainerClient bronze, BlobContainerClient silver, double[] translate, int run)
            throws Exception {
        Path work = Files.createTempDirectory("raster-bench");
        long t0 = System.nanoTime();
        Path local = work.resolve("source.tif");
        bronze.getBlobClient("bench/big.tif").downloadToFile(local.toString(), true);
        translate[run] = BenchService.timeCommand(List.of("gdal_translate", "-q", "-of", "COG", "-co",
                "COMPRESS=DEFLATE", "-co", "PREDICTOR=YES", "-co", "BIGTIFF=IF_SAFER", "-co",
                "NUM_THREADS=ALL_CPUS", "-co", "OVERVIEW_RESAMPLING=NEAREST", local.toString(),
                work.resolve("cog.tif").toString()));
        BenchService.timeCommand(List.of("/usr/bin/python3", "-m",
                "osgeo_utils.samples.validate_cloud_optimized_geotiff", "-q", work.resolve("cog.tif").toString()));
        silver.getBlobClient("bench-baseline/cog.tif").uploadFromFile(work.resolve("cog.tif").toString(), true);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.delete(local);
        Files.delete(work.resolve("cog.tif"));
        return seconds;
    }
}
