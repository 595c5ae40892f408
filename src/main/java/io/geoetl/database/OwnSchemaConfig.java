package io.geoetl.database;

import java.util.Map;

import io.geoetl.config.DatabaseProperties;
import io.geoetl.config.StorageProperties;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Flyway works in geoetl's schema: its history table lives there (not in public, where versions before
 * V006 kept it; see {@link SchemaPreparation} for the move), and it migrates with that schema first on
 * the search_path, so unqualified names in the migrations create geoetl's tables there while PostGIS's
 * types (V003's geometry) still resolve in public. Measured: with application.yaml's connection-init-sql
 * the path during migrations stays {@code geoetl, public}; without it, Flyway puts its default schema in
 * front of the role's default ({@code "geoetl","$user", public}).
 */
@Configuration(proxyBeanMethods = false)
class OwnSchemaConfig {

    /** Also the migrations' placeholders: V007 backfills the registry of outputs from silver's blob URLs. */
    @Bean
    FlywayConfigurationCustomizer flywayInOwnSchema(DatabaseProperties database, StorageProperties storage) {
        return configuration -> configuration.defaultSchema(database.schema()).schemas(database.schema())
                .placeholders(Map.of("silver_container", storage.silverContainer()));
    }

    /** What a start runs once the server lets it in (ConcurrentStartIT runs it on several pools at once). */
    FlywayMigrationStrategy prepareSchemaThenMigrate(DatabaseProperties database, Environment environment) {
        return flyway -> {
            if (TransactionPooler.behindTransactionPooler(environment)) {
                TransactionPooler.checkSearchPath(flyway.getConfiguration().getDataSource(), database.schema());
            }
            SchemaPreparation.prepare(flyway.getConfiguration().getDataSource(), database.schema(),
                    flyway.getConfiguration().getTable());
            flyway.migrate();
        };
    }

    /**
     * Spring Boot's Flyway initializer runs this: a server that refuses connections (a full one, say) does not
     * fail start-up, the migration waits in the background for it (see {@link DatabaseAvailability}).
     */
    @Bean
    FlywayMigrationStrategy migrateWhenReachable(DatabaseProperties database, Environment environment,
            DatabaseAvailability availability) {
        FlywayMigrationStrategy migrate = prepareSchemaThenMigrate(database, environment);
        return flyway -> availability.migrateWhenReachable(() -> migrate.migrate(flyway));
    }
}
