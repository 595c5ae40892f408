package io.geoetl.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.geoetl.GeoetlApplication;
import io.geoetl.catalog.StacItems;
import io.geoetl.stac.StacRepository;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * bench/stac: bulk-loads N STAC items through geoetl's repository, then times bbox + datetime
 * searches (limit 100) through the HTTP STAC API of the same process. Run by bench/stac/run.
 */
public final class StacBench {

    private StacBench() {
    }

    public static void main(String[] args) throws Exception {
        int items = Integer.parseInt(System.getProperty("bench.items", "100000"));
        int searches = Integer.parseInt(System.getProperty("bench.searches", "300"));
        ConfigurableApplicationContext context = SpringApplication.run(GeoetlApplication.class,
                "--server.port=0", "--geoetl.roles.worker=false", "--logging.level.root=WARN");
        try {
            StacRepository repository = context.getBean(StacRepository.class);
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            repository.ensureCollection("bench", StacItems.collection("bench", "benchmark items"));
            Random random = new Random(42);
            Instant origin = Instant.parse("2020-01-01T00:00:00Z");
            long started = System.nanoTime();
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < items; i++) {
                batch.add(item(i, random, origin));
                if (batch.size() == 1000) {
                    repository.upsertItems("bench", batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                repository.upsertItems("bench", batch);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("ingest: %d items in %.1f s = %.0f items/s%n", items, seconds, items / seconds);

            HttpClient http = HttpClient.newHttpClient();
            List<Double> latencies = new ArrayList<>();
            long returned = 0;
            for (int i = 0; i < searches + 20; i++) {
                double x = -170 + random.nextDouble() * 330;
                double y = -80 + random.nextDouble() * 150;
                Instant start = origin.plus(random.nextInt(5 * 365), ChronoUnit.DAYS);
                String query = String.format("bbox=%.3f,%.3f,%.3f,%.3f&datetime=%s/%s&limit=100", x, y, x + 20, y + 10,
                        start, start.plus(90, ChronoUnit.DAYS));
                long t0 = System.nanoTime();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/stac/search?" + query)).build(), HttpResponse.BodyHandlers.ofString());
                double millis = (System.nanoTime() - t0) / 1e6;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("search failed: " + response.body());
                }
                if (i >= 20) {
                    latencies.add(millis);
                    returned += response.body().split("\"type\":\"Feature\"", -1).length - 1;
                }
            }
            Collections.sort(latencies);
            System.out.printf("search: %d bbox+datetime searches, limit 100, %.1f items returned on average%n",
                    searches, (double) returned / searches);
            System.out.printf("search latency: p50 %.1f ms, p95 %.1f ms, max %.1f ms%n", percentile(latencies, 50),
                    percentile(latencies, 95), latencies.get(latencies.size() - 1));
        } finally {
            context.close();
        }
    }

    private static Map<String, Object> item(int i, Random random, Instant origin) {
        double x = -180 + random.nextDouble() * 359;
        double y = -85 + random.nextDouble() * 169;
        double size = 0.05 + random.nextDouble() * 0.5;
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", "Feature");
        item.put("stac_version", "1.0.0");
        item.put("stac_extensions", List.of());
        item.put("id", "item-" + i);
        item.put("collection", "bench");
        item.put("geometry", Map.of("type", "Polygon", "coordinates", List.of(List.of(List.of(x, y),
                List.of(x + size, y), List.of(x + size, y + size), List.of(x, y + size), List.of(x, y)))));
        item.put("bbox", List.of(x, y, x + size, y + size));
        item.put("properties", Map.of("datetime", origin.plus(random.nextInt(5 * 365 * 24), ChronoUnit.HOURS)
                .toString(), "eo:cloud_cover", random.nextInt(100)));
        item.put("links", List.of());
        item.put("assets", Map.of("data", Map.of("href", "http://example.invalid/bench/item-" + i + ".tif",
                "type", "image/tiff; application=geotiff", "roles", List.of("data"))));
        return item;
    }

    private static double percentile(List<Double> sorted, int percent) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
    }
}
