package io.geoetl.features;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reads features of a served table as GeoJSON text built by PostGIS: the geometry by ST_AsGeoJSON of
 * ST_Transform to EPSG:4326 (longitude first, as CRS84), the properties by to_json of the other columns.
 *
 * <p>Pages are keyset pages on the ogc_fid primary key, never OFFSET:
 * {@code where ogc_fid > :after [and geom && :envelope] order by ogc_fid limit :limit + 1}. Each page is
 * an index range scan that stops after limit + 1 rows, whatever page it is (OFFSET would read and drop
 * every row before the page); with a bbox the planner may instead use the GiST index and sort the matches.
 * One row more than asked tells whether a next page exists, with no count.
 */
@Repository
class FeatureRows {

    /** One feature: its fid and its geometry and properties as JSON text, ready to be embedded. */
    record Row(long fid, String geometry, String properties) {
    }

    /** A page: up to limit rows, and whether more follow. */
    record Page(List<Row> rows, boolean more) {
    }

    private final JdbcTemplate jdbc;

    FeatureRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** An SQL statement and its bound values. */
    record Statement(String sql, Object[] arguments) {
    }

    Page page(FeatureTable table, ItemsQuery query) {
        Statement statement = pageStatement(table, query);
        List<Row> rows = jdbc.query(statement.sql(), (row, index) -> new Row(row.getLong(1), row.getString(2),
                row.getString(3)), statement.arguments());
        boolean more = rows.size() > query.limit();
        return new Page(more ? rows.subList(0, query.limit()) : rows, more);
    }

    /** The page's plan as EXPLAIN prints it, so that a test can check it stays a keyset scan. */
    List<String> explain(FeatureTable table, ItemsQuery query) {
        Statement statement = pageStatement(table, query);
        return jdbc.queryForList("explain " + statement.sql(), String.class, statement.arguments());
    }

    Statement pageStatement(FeatureTable table, ItemsQuery query) {
        String fid = "t." + FeatureTable.quote(FeatureTable.FID);
        StringBuilder sql = new StringBuilder(select(table)).append(" where true");
        List<Object> arguments = new ArrayList<>();
        if (query.after() != null) {
            sql.append(" and ").append(fid).append(" > ?");
            arguments.add(query.after());
        }
        double[] bbox = query.bbox();
        if (bbox != null) {
            String geometry = "t." + FeatureTable.quote(table.geometryColumn());
            if (bbox[0] <= bbox[2]) {
                sql.append(" and ").append(geometry).append(" && ").append(envelope(table));
                arguments.addAll(List.of(bbox[0], bbox[1], bbox[2], bbox[3]));
            } else {
                // Across the antimeridian: from minLon to 180 and from -180 to maxLon.
                sql.append(" and (").append(geometry).append(" && ").append(envelope(table)).append(" or ")
                        .append(geometry).append(" && ").append(envelope(table)).append(")");
                arguments.addAll(List.of(bbox[0], bbox[1], 180.0, bbox[3], -180.0, bbox[1], bbox[2], bbox[3]));
            }
        }
        sql.append(" order by ").append(fid).append(" limit ?");
        arguments.add(query.limit() + 1);
        return new Statement(sql.toString(), arguments.toArray());
    }

    Optional<Row> one(FeatureTable table, long fid) {
        return jdbc.query(select(table) + " where t." + FeatureTable.quote(FeatureTable.FID) + " = ?",
                (row, index) -> new Row(row.getLong(1), row.getString(2), row.getString(3)), fid).stream()
                .findFirst();
    }

    private static String envelope(FeatureTable table) {
        String box = "ST_MakeEnvelope(?, ?, ?, ?, 4326)";
        return table.srid() == 4326 ? box : "ST_Transform(" + box + ", " + table.srid() + ")";
    }

    private static String select(FeatureTable table) {
        String properties = table.properties().isEmpty() ? "'{}'" : "(select to_json(p) from (select "
                + String.join(", ", table.properties().stream().map(name -> "t." + FeatureTable.quote(name)).toList())
                + ") p)::text";
        String geometry = "t." + FeatureTable.quote(table.geometryColumn());
        return "select t." + FeatureTable.quote(FeatureTable.FID) + ", ST_AsGeoJSON(ST_Transform(" + geometry
                + ", 4326)), " + properties + " from " + table.qualified() + " t";
    }
}
