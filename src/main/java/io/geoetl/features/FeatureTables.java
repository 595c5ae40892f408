package io.geoetl.features;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.geoetl.config.DatabaseProperties;
import io.geoetl.config.VectorProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Which tables the features API serves: those the output registry lists as tables geoetl loaded
 * (output_target, target_kind 'table'), that still exist as tables in one of the data schemas, with a
 * geometry column and the ogc_fid primary key the vector loader creates. Anything else, geoetl's own
 * tables, the staging schema and public included, is not a collection and answers 404.
 *
 * <p>The request's collection id is only ever compared with registered names as a bound value; the
 * names that reach SQL come from this query's catalog columns.
 */
@Repository
class FeatureTables {

    /**
     * One row per served table: geoetl loads every table in EPSG:4326, and a bbox is compared in it; a
     * table in another CRS (made or altered by hand) would need the box densified and clipped to the CRS's
     * area of use to answer right, so it is not served. The extent is the bbox of the table's STAC item (written with the table,
     * in its transaction, by TableFinalizer), else PostGIS's estimate from the planner's statistics: never
     * a scan of the table.
     */
    private static final String SELECT = """
            select distinct on (o.target_name) o.target_name as id, n.nspname as schema_name,
                   c.relname as table_name, g.f_geometry_column as geometry_column, g.srid, g.type as geometry_type,
                   array(select p.attname::text from pg_attribute p where p.attrelid = c.oid and p.attnum > 0
                         and not p.attisdropped and p.attname not in (g.f_geometry_column, '%1$s')
                         order by p.attnum) as properties,
                   coalesce((select array[(i.document->'bbox'->>0)::float8, (i.document->'bbox'->>1)::float8,
                                          (i.document->'bbox'->>2)::float8, (i.document->'bbox'->>3)::float8]
                             from stac_item i where i.item_id = o.target_name
                             and i.document->'properties'->>'geoetl:table' = o.target_name
                             and jsonb_array_length(i.document->'bbox') = 4 limit 1),
                            (select array[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] from (select
                             ST_Transform(ST_SetSRID(ST_EstimatedExtent(n.nspname, c.relname, g.f_geometry_column)
                             ::geometry, g.srid), 4326) as e where g.srid > 0) x)) as bbox
            from output_target o
            join pg_namespace n on n.nspname = split_part(o.target_name, '.', 1)
            join pg_class c on c.relnamespace = n.oid and c.relname = split_part(o.target_name, '.', 2)
                 and c.relkind in ('r', 'p')
            join geometry_columns g on g.f_table_schema = n.nspname and g.f_table_name = c.relname
            join pg_attribute f on f.attrelid = c.oid and f.attname = '%1$s' and not f.attisdropped
            join pg_index k on k.indrelid = c.oid and k.indisprimary and k.indnatts = 1 and k.indkey[0] = f.attnum
            where o.target_kind = 'table' and n.nspname || '.' || c.relname = o.target_name and g.srid = 4326
              and n.nspname::text = any(?::text[]) and n.nspname::text <> all(?::text[])
            """.formatted(FeatureTable.FID);

    private final JdbcTemplate jdbc;
    private final String[] dataSchemas;
    private final String[] neverServed;

    FeatureTables(JdbcTemplate jdbc, VectorProperties vector, DatabaseProperties database) {
        this.jdbc = jdbc;
        this.dataSchemas = vector.dataSchemas().stream().map(String::strip).filter(name -> !name.isEmpty())
                .toArray(String[]::new);
        // Data schemas are never these (VectorProperties), but a registry row must not make them served either.
        this.neverServed = new String[] {database.schema(), vector.stagingSchema(), "public", "pg_catalog",
                "information_schema"};
    }

    /** Every served table, ordered by id. */
    List<FeatureTable> all() {
        return jdbc.query(SELECT + " order by o.target_name, g.f_geometry_column = 'geom' desc",
                (row, index) -> table(row), dataSchemas, neverServed);
    }

    /** The served table whose id is {@code id}, or empty (also for ids that are not one). */
    Optional<FeatureTable> find(String id) {
        if (id == null || id.length() > 200) {
            return Optional.empty();
        }
        return jdbc.query(SELECT + " and o.target_name = ? order by o.target_name, g.f_geometry_column = 'geom' "
                + "desc", (row, index) -> table(row), dataSchemas, neverServed, id).stream().findFirst();
    }

    private static FeatureTable table(ResultSet row) throws SQLException {
        List<String> properties = List.of((String[]) row.getArray("properties").getArray());
        return new FeatureTable(row.getString("id"), row.getString("schema_name"), row.getString("table_name"),
                row.getString("geometry_column"), row.getInt("srid"), row.getString("geometry_type"), properties,
                bbox(row.getArray("bbox")));
    }

    private static double[] bbox(Array array) throws SQLException {
        if (array == null) {
            return null;
        }
        Object[] values = (Object[]) array.getArray();
        List<Double> numbers = new ArrayList<>();
        for (Object value : values) {
            if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
                return null;
            }
            numbers.add(number.doubleValue());
        }
        return numbers.size() == 4 ? numbers.stream().mapToDouble(Double::doubleValue).toArray() : null;
    }
}
