package io.geoetl.vector;

import java.net.URI;
import java.util.Map;

import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.stereotype.Component;

/** How GDAL's PostgreSQL driver reaches the same database as the service; the password stays in the environment. */
@Component
class PostgisTarget {

    private final String connection;
    private final Map<String, String> environment;

    PostgisTarget(DataSourceProperties dataSource) {
        URI uri = URI.create(dataSource.getUrl().substring("jdbc:".length()));
        this.connection = "PG:host=" + uri.getHost() + " port=" + (uri.getPort() < 0 ? 5432 : uri.getPort())
                + " dbname=" + uri.getPath().substring(1) + " user=" + dataSource.getUsername();
        this.environment = dataSource.getPassword() == null ? Map.of() : Map.of("PGPASSWORD", dataSource.getPassword());
    }

    String connection() {
        return connection;
    }

    Map<String, String> environment() {
        return environment;
    }
}
