package io.geoetl.api;

import java.util.Map;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * /actuator/health component "geoetl": the same checks as /api/health (database with PostGIS, queues
 * with their depths, blob containers, GDAL), next to Spring's db and Camel's per-route checks.
 */
@Component("geoetl")
class GeoetlHealthIndicator implements HealthIndicator {

    private final HealthApi api;

    GeoetlHealthIndicator(HealthApi api) {
        this.api = api;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Health health() {
        ApiResponse answer = api.health();
        Map<String, Object> body = (Map<String, Object>) answer.body();
        return (answer.status() == 200 ? Health.up() : Health.down()).withDetails((Map<String, Object>) body.get(
                "checks")).build();
    }
}
