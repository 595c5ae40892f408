package io.geoetl.features;

import java.util.List;

/**
 * A table served as a collection, every name read from the PostgreSQL catalog (pg_namespace, pg_class,
 * geometry_columns, pg_attribute), never from a request.
 *
 * @param id             collection id, {@code schema.table}
 * @param schema         schema name
 * @param table          table name
 * @param geometryColumn the geometry column (geoetl loads it as {@code geom})
 * @param srid           the geometry column's SRID (4326 for what geoetl loads)
 * @param geometryType   as geometry_columns names it (MULTIPOLYGON, ...)
 * @param properties     every other column except the fid, in table order
 * @param bbox           the extent in CRS84 (minx, miny, maxx, maxy), or null when unknown
 */
record FeatureTable(String id, String schema, String table, String geometryColumn, int srid, String geometryType,
        List<String> properties, double[] bbox) {

    /** The primary key geoetl's vector loader gives every table (CopyIntermediate.FID_COLUMN). */
    static final String FID = "ogc_fid";

    /** {@code "schema"."table"}: both names come from the catalog; quoting keeps them one identifier each. */
    String qualified() {
        return quote(schema) + "." + quote(table);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
