package io.geoetl.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.config.StorageProperties;
import io.geoetl.database.DatabaseAvailability;
import io.geoetl.gdal.GdalVersion;
import io.geoetl.metrics.QueueDepths;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** GET /api/health: database, queues with their depths, blob containers and the GDAL version. */
@Component("healthApi")
public class HealthApi {

    private final JdbcTemplate jdbc;
    private final QueueDepths depths;
    private final BlobServiceClient blobService;
    private final StorageProperties storage;
    private final GdalVersion gdal;
    private final DatabaseAvailability database;

    public HealthApi(JdbcTemplate jdbc, QueueDepths depths, BlobServiceClient blobService, StorageProperties storage,
            GdalVersion gdal, DatabaseAvailability database) {
        this.database = database;
        this.jdbc = jdbc;
        this.depths = depths;
        this.blobService = blobService;
        this.storage = storage;
        this.gdal = gdal;
    }

    public ApiResponse health() {
        Map<String, Object> checks = new LinkedHashMap<>();
        // Unavailable (refused, or not migrated yet): answered at once, without waiting for a connection.
        checks.put("database", database.available() ? check(() -> Map.of("postgis", jdbc.queryForObject(
                "select postgis_lib_version()", String.class))) : unavailable(database.problem()));
        checks.put("queues", check(() -> {
            if (!depths.readable()) {
                // Service Bus depths come from the namespace (Azure Monitor ActiveMessageCount, KEDA).
                return Map.of("transport", "servicebus");
            }
            Map<String, Object> approximate = new LinkedHashMap<>();
            for (String name : depths.names()) {
                approximate.put(name, depths.messages(name));
            }
            return Map.of("approximate_depths", approximate);
        }));
        checks.put("blob", check(() -> Map.of("containers", List.of(storage.bronzeContainer(),
                storage.silverContainer()).stream().filter(name -> blobService.getBlobContainerClient(name).exists())
                .toList())));
        checks.put("gdal", check(() -> Map.of("version", gdal.version())));
        boolean healthy = checks.values().stream().allMatch(value -> "ok".equals(((Map<?, ?>) value).get("status")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy ? "ok" : "degraded");
        body.put("checks", checks);
        return new ApiResponse(healthy ? 200 : 503, body, Map.of());
    }

    private static Map<String, Object> unavailable(String problem) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", "unavailable");
        result.put("message", problem == null ? "unavailable" : problem);
        return result;
    }

    private static Map<String, Object> check(Supplier<Map<String, Object>> probe) {
        Map<String, Object> result = new LinkedHashMap<>();
        try {
            result.put("status", "ok");
            result.putAll(probe.get());
        } catch (RuntimeException e) {
            result.put("status", "error");
            result.put("message", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return result;
    }
}
