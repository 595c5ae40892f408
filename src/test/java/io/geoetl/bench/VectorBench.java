package io.geoetl.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;

/**
 * bench/vector: process_vector end to end against single-stream ogr2ogr (PG_USE_COPY) and GeoPandas
 * to_postgis on the same files, in the same run. Run by bench/vector/run, which generates the data
 * and starts the service (GEOETL_BENCH_URL, pid in GEOETL_BENCH_PID).
 */
public final class VectorBench {

    private static final BenchService SERVICE = new BenchService(System.getenv("GEOETL_BENCH_URL"));
    private static final String PG = "PG:host=127.0.0.1 dbname=geoetl_bench user=geoetl password=geoetl";

    private VectorBench() {
    }

    public static void main(String[] args) throws Exception {
        BlobContainerClient bronze = new BlobServiceClientBuilder().connectionString(
                System.getenv("AZURE_STORAGE_CONNECTION_STRING")).buildClient().getBlobContainerClient("bronze");
        for (String file : args) {
            bronze.getBlobClient("bench/" + Path.of(file).getFileName()).uploadFromFile(file, true);
        }
        // A fresh JVM compiles its hot paths during its first job; a worker in production has long done so.
        // BENCH_VECTOR_WARMUP=0 measures the cold service.
        if (!"0".equals(System.getenv("BENCH_VECTOR_WARMUP"))) {
            String last = Path.of(args[args.length - 1]).getFileName().toString();
            System.out.printf("warm-up: process_vector of %s in %.1f s (not counted)%n", last,
                    SERVICE.timeJob("process_vector", "{\"blob_name\": \"bench/" + last
                            + "\", \"target_table\": \"warmup\"}"));
        }
        int runs = Integer.parseInt(System.getenv().getOrDefault("BENCH_VECTOR_RUNS", "1"));
        for (String file : args) {
            Path path = Path.of(file);
            String name = path.getFileName().toString();
            String stem = name.substring(0, name.indexOf('.'));
            long features = Long.parseLong(System.getenv("BENCH_FEATURES_" + stem.toUpperCase()));
            System.out.printf("%s: %d features%n", stem, features);
            for (int run = 1; run <= runs; run++) {
                // A new source_etag per run: the same parameters would return the finished job.
                double geoetl = SERVICE.timeJob("process_vector", "{\"blob_name\": \"bench/" + name
                        + "\", \"target_table\": \"geoetl_" + stem + "\", \"source_etag\": \"run-" + run + "\"}");
                double ogr = BenchService.timeCommand(List.of("ogr2ogr", "-f", "PostgreSQL", PG, path.toString(),
                        "-nln", "ogr_" + stem, "-overwrite", "-t_srs", "EPSG:4326", "-nlt", "PROMOTE_TO_MULTI",
                        "-lco", "GEOMETRY_NAME=geom", "--config", "PG_USE_COPY", "YES"));
                // BENCH_SKIP_GEOPANDAS=1 for quick iterations: GeoPandas takes minutes.
                double pandas = "1".equals(System.getenv("BENCH_SKIP_GEOPANDAS")) || run > 1 ? Double.NaN
                        : BenchService.timeCommand(List.of("/usr/bin/python3", "-c",
                                "import geopandas, sqlalchemy, sys; "
                                + "engine = sqlalchemy.create_engine('postgresql://geoetl:geoetl@127.0.0.1/geoetl_bench'); "
                                + "geopandas.read_file(sys.argv[1]).to_crs(4326).to_postgis('pandas_" + stem + "', engine, "
                                + "if_exists='replace')", path.toString()));
                System.out.printf("  run %d%n", run);
                System.out.printf("  geoetl process_vector: %.1f s = %.0f features/s%n", geoetl, features / geoetl);
                System.out.printf("  ogr2ogr PG_USE_COPY:   %.1f s = %.0f features/s%n", ogr, features / ogr);
                if (!Double.isNaN(pandas)) {
                    System.out.printf("  GeoPandas to_postgis:  %.1f s = %.0f features/s%n", pandas, features / pandas);
                }
                System.out.printf("  ratio geoetl to ogr2ogr speed: %.2fx (target >= 0.8x), to GeoPandas: %.1fx "
                        + "(target >= 5x)%n", ogr / geoetl, pandas / geoetl);
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/" + System.getenv("GEOETL_BENCH_PID") + "/status"))) {
            if (line.startsWith("VmHWM")) {
                System.out.printf("service JVM peak RSS: %s%n", line.substring(6).trim());
            }
        }
    }
}
