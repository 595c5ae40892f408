package io.geoetl.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.config.StorageProperties;
import io.geoetl.database.DatabaseAvailability;
import io.geoetl.gdal.GdalVersion;
import io.geoetl.metrics.QueueDepths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** GET /api/health: database, queues with their depths, blob containers and the GDAL version. */
@Component("healthApi")
public class HealthApi {

    private static final Logger log = LoggerFactory.getLogger(HealthApi.class);

    private final JdbcTemplate jdbc;
    private final QueueDepths depths;
    private final BlobServiceClient blobService;
    private final StorageProperties storage;
    private final GdalVersion gdal;
    private final DatabaseAvailability database;
    /** Read once the database is first available: health never waits for a pooled connection. */
    private volatile String postgisVersion;

    public HealthApi(JdbcTemplate jdbc, QueueDepths depths, BlobServiceClient blobService, StorageProperties storage,
            GdalVersion gdal, DatabaseAvailability database) {
        this.database = database;
        this.jdbc = jdbc;
        this.depths = depths;
        this.blobService = blobService;
        this.storage = storage;
        this.gdal = gdal;
        // Read as the schema is ready, before the database is said to be available; read again when it comes back
        // if that failed, on a thread of its own (a listener runs under the availability's lock).
        database.whenMigrated(this::readPostgisVersion);
        database.onChange(available -> {
            if (available && postgisVersion == null) {
                CompletableFuture.runAsync(this::readPostgisVersion);
            }
        });
    }

    private void readPostgisVersion() {
        try {
            postgisVersion = jdbc.queryForObject("select postgis_lib_version()", String.class);
        } catch (RuntimeException e) {
            // Said by health as "postgis": null; read again the next time the database comes back.
            log.warn("event=postgis_version_unread error=\"{}\"", e.getMessage());
        }
    }

    public ApiResponse health() {
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("database", database());
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
        // A pool short of connections still works (on what it holds): said, not failed.
        boolean healthy = checks.values().stream().allMatch(value -> List.of("ok", "short").contains(((Map<?, ?>) value)
                .get("status")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", healthy ? "ok" : "degraded");
        body.put("checks", checks);
        return new ApiResponse(healthy ? 200 : 503, body, Map.of());
    }

    /**
     * From what the availability watcher saw (it looks every second) and the pool's figures: answered at once,
     * without a pooled connection, so a busy replica's probe does not wait for the pool's connection-timeout.
     */
    private Map<String, Object> database() {
        Map<String, Object> result = new LinkedHashMap<>();
        DatabaseAvailability.Status status = database.status();
        result.put("status", status.state() == DatabaseAvailability.State.AVAILABLE ? "ok"
                : status.state().name().toLowerCase(Locale.ROOT));
        if (status.state() != DatabaseAvailability.State.AVAILABLE) {
            result.put("message", Objects.toString(status.problem(), "unavailable"));
        }
        result.put("postgis", postgisVersion);
        database.connections().ifPresent(pool -> {
            Map<String, Object> connections = new LinkedHashMap<>();
            connections.put("open", pool.open());
            connections.put("in_use", pool.inUse());
            connections.put("waiting", pool.waiting());
            connections.put("max", pool.max());
            result.put("connections", connections);
        });
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
