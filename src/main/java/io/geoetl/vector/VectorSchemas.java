package io.geoetl.vector;

import java.util.ArrayList;
import java.util.List;

import io.geoetl.config.VectorProperties;
import io.geoetl.database.DatabaseAvailability;
import io.geoetl.database.Schemas;
import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The staging schema and the data schemas exist before any load runs: created once at start,
 * safely when several replicas start at once ({@link Schemas}), instead of by every load (two first
 * loads at the same moment could fail on each other's {@code create schema if not exists}). A data schema
 * dropped meanwhile is made again by the finalize transaction that loads into it, the same safe way.
 */
@Component
class VectorSchemas {

    private static final Logger log = LoggerFactory.getLogger(VectorSchemas.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final VectorProperties properties;
    private final DatabaseAvailability database;

    VectorSchemas(JdbcTemplate jdbc, TransactionTemplate transaction, VectorProperties properties,
            DatabaseAvailability database) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.properties = properties;
        this.database = database;
    }

    /** At start, or once a replica that started while the database refused it has migrated. */
    @PostConstruct
    void createAtStart() {
        database.whenMigrated(this::create);
    }

    private void create() {
        List<String> schemas = new ArrayList<>(List.of(properties.stagingSchema()));
        schemas.addAll(properties.dataSchemas().stream().map(String::strip).filter(name -> !name.isEmpty()).toList());
        for (String schema : schemas) {
            if (Boolean.TRUE.equals(transaction.execute(status -> Schemas.createIfMissing(jdbc, schema)))) {
                log.info("event=schema_created schema={}", schema);
            }
        }
    }
}
