/**
 * OGC API - Features (Part 1: Core) under /api/features: every table geoetl loaded (registered in
 * output_target as a table, still present) is a read-only collection whose id is "schema.table".
 * Tables are found in the PostgreSQL catalog, never named by request text, and paged by ogc_fid.
 */
package io.geoetl.features;
