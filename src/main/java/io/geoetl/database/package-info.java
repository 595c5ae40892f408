/**
 * Where geoetl keeps its state in PostgreSQL: its own schema (geoetl.database.schema), prepared before
 * Flyway migrates, and the schemas it creates safely when several replicas start at once.
 */
package io.geoetl.database;
