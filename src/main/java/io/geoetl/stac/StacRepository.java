package io.geoetl.stac;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.geoetl.error.BadRequestException;
import io.geoetl.orchestration.Json;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * SQL of the STAC catalog. Searches page by keyset: the token holds the sort-key values of the last
 * item returned, so every page is an index range scan and paging visits each item exactly once.
 */
@Repository
public class StacRepository {

    /** A page of item documents and the token of the next page (null on the last page). */
    public record Page(List<Map<String, Object>> items, String nextToken) {
    }

    private final JdbcTemplate jdbc;

    public StacRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates the collection unless it exists (items may then be upserted into it). */
    public void ensureCollection(String collectionId, Map<String, Object> document) {
        jdbc.update("insert into stac_collection (collection_id, document) values (?, ?::jsonb) "
                + "on conflict (collection_id) do nothing", collectionId, Json.write(document));
    }

    public void upsertCollection(String collectionId, Map<String, Object> document) {
        jdbc.update("insert into stac_collection (collection_id, document) values (?, ?::jsonb) "
                + "on conflict (collection_id) do update set document = excluded.document, updated_at = now()",
                collectionId, Json.write(document));
    }

    /** Deletes an item; returns whether it existed. */
    public boolean deleteItem(String collectionId, String itemId) {
        return jdbc.update("delete from stac_item where collection_id = ? and item_id = ?", collectionId, itemId) > 0;
    }

    /** Deletes the collection's items whose ids start with {@code idPrefix} and are not in {@code keep}. */
    public int deleteItemsExcept(String collectionId, String idPrefix, List<String> keep) {
        return jdbc.update("delete from stac_item where collection_id = ? and starts_with(item_id, ?) and item_id "
                + "<> all(?)", collectionId, idPrefix, keep.toArray(String[]::new));
    }

    /** Inserts or replaces an item; its searchable columns come from its own document. */
    public void upsertItem(String collectionId, Map<String, Object> item) {
        upsertItems(collectionId, List.of(item));
    }

    /**
     * Batched upsert (one round trip per batch), for bulk loads. An item written again keeps the
     * {@code created} property of the one it replaces: created is when geoetl first catalogued it.
     */
    @SuppressWarnings("unchecked")
    public void upsertItems(String collectionId, List<Map<String, Object>> items) {
        jdbc.batchUpdate(UPSERT_ITEM, items, 1000, (ps, item) -> {
            Map<String, Object> properties = (Map<String, Object>) item.get("properties");
            ps.setString(1, collectionId);
            ps.setString(2, (String) item.get("id"));
            ps.setString(3, Json.write(item.get("geometry")));
            ps.setString(4, (String) properties.get("datetime"));
            ps.setString(5, (String) properties.get("start_datetime"));
            ps.setString(6, (String) properties.get("end_datetime"));
            ps.setString(7, Json.write(item));
        });
    }

    private static final String UPSERT_ITEM = "insert into stac_item (collection_id, item_id, geometry, "
            + "datetime, start_datetime, end_datetime, document) values (?, ?, "
            + "ST_SetSRID(ST_GeomFromGeoJSON(?), 4326), ?::timestamptz, ?::timestamptz, ?::timestamptz, ?::jsonb) "
            + "on conflict (collection_id, item_id) do update set geometry = excluded.geometry, "
            + "datetime = excluded.datetime, start_datetime = excluded.start_datetime, "
            + "end_datetime = excluded.end_datetime, document = case when stac_item.document #> "
            + "'{properties,created}' is not null and excluded.document #> '{properties,created}' is not null "
            + "then jsonb_set(excluded.document, '{properties,created}', stac_item.document #> "
            + "'{properties,created}') else excluded.document end, "
            + "updated_at = now()";

    public Optional<Map<String, Object>> findCollection(String collectionId) {
        return jdbc.queryForList("select document::text from stac_collection where collection_id = ?", String.class,
                collectionId).stream().findFirst().map(Json::readMap);
    }

    public List<Map<String, Object>> collections() {
        return jdbc.queryForList("select document::text from stac_collection order by collection_id", String.class)
                .stream().map(Json::readMap).toList();
    }

    public Optional<Map<String, Object>> findItem(String collectionId, String itemId) {
        return jdbc.queryForList("select document::text from stac_item where collection_id = ? and item_id = ?",
                String.class, collectionId, itemId).stream().findFirst().map(Json::readMap);
    }

    /** The spatial and temporal extent and item count of a collection's items, for its document. */
    public Map<String, Object> collectionExtent(String collectionId) {
        return jdbc.queryForMap("select count(*) as items, ST_XMin(ST_Extent(geometry)::box3d) as xmin, "
                + "ST_YMin(ST_Extent(geometry)::box3d) as ymin, ST_XMax(ST_Extent(geometry)::box3d) as xmax, "
                + "ST_YMax(ST_Extent(geometry)::box3d) as ymax, min(search_start) as start, "
                + "max(search_end) as finish from stac_item where collection_id = ?", collectionId);
    }

    /** Distinct values of one item property in a collection (at most 100), for collection summaries. */
    public List<Object> distinctProperty(String collectionId, String property) {
        return jdbc.queryForList("select distinct document->'properties'->>? from stac_item where collection_id = ? "
                + "and document->'properties'->>? is not null limit 100", String.class, property, collectionId,
                property).stream().map(Object.class::cast).toList();
    }

    public Page search(SearchQuery query) {
        List<SortColumn> order = order(query.sortby());
        StringBuilder sql = new StringBuilder("select document::text");
        for (SortColumn column : order) {
            sql.append(", (").append(column.expression()).append(")::text");
        }
        sql.append(" from stac_item where true");
        List<Object> args = new ArrayList<>();
        filters(query, sql, args);
        if (query.token() != null) {
            keysetAfter(order, decode(query.token(), order.size()), sql, args);
        }
        sql.append(" order by ");
        for (int i = 0; i < order.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(order.get(i).expression())
                    .append(order.get(i).ascending() ? " asc" : " desc");
        }
        sql.append(" limit ?");
        args.add(query.limit() + 1);
        List<Object[]> rows = jdbc.query(sql.toString(), (rs, n) -> {
            Object[] row = new Object[order.size() + 1];
            for (int i = 0; i <= order.size(); i++) {
                row[i] = rs.getString(i + 1);
            }
            return row;
        }, args.toArray());
        boolean more = rows.size() > query.limit();
        List<Object[]> page = more ? rows.subList(0, query.limit()) : rows;
        List<Map<String, Object>> items = page.stream().map(row -> Json.readMap((String) row[0])).toList();
        String next = null;
        if (more) {
            Object[] last = page.get(page.size() - 1);
            List<Object> keys = new ArrayList<>();
            for (int i = 1; i < last.length; i++) {
                keys.add(last[i]);
            }
            next = Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(keys)
                    .getBytes(StandardCharsets.UTF_8));
        }
        return new Page(items, next);
    }

    private static void filters(SearchQuery query, StringBuilder sql, List<Object> args) {
        if (!query.collections().isEmpty()) {
            sql.append(" and collection_id = any(?)");
            args.add(query.collections().toArray(String[]::new));
        }
        if (!query.ids().isEmpty()) {
            sql.append(" and item_id = any(?)");
            args.add(query.ids().toArray(String[]::new));
        }
        double[] bbox = query.bbox();
        if (bbox != null) {
            if (bbox[0] <= bbox[2]) {
                sql.append(" and geometry && ST_MakeEnvelope(?, ?, ?, ?, 4326)");
                args.addAll(List.of(bbox[0], bbox[1], bbox[2], bbox[3]));
            } else {
                // Crosses the antimeridian: two envelopes, west and east of it.
                sql.append(" and (geometry && ST_MakeEnvelope(?, ?, 180, ?, 4326) "
                        + "or geometry && ST_MakeEnvelope(-180, ?, ?, ?, 4326))");
                args.addAll(List.of(bbox[0], bbox[1], bbox[3], bbox[1], bbox[2], bbox[3]));
            }
        }
        if (query.intersects() != null) {
            sql.append(" and ST_Intersects(geometry, ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))");
            args.add(query.intersects());
        }
        if (query.end() != null) {
            sql.append(" and search_start <= ?");
            args.add(query.end());
        }
        if (query.start() != null) {
            sql.append(" and search_end >= ?");
            args.add(query.start());
        }
    }

    /** Rows strictly after the last row of the previous page in the (mixed-direction) sort order. */
    private static void keysetAfter(List<SortColumn> order, List<Object> last, StringBuilder sql, List<Object> args) {
        sql.append(" and (");
        for (int i = 0; i < order.size(); i++) {
            sql.append(i == 0 ? "(" : " or (");
            for (int j = 0; j < i; j++) {
                sql.append(order.get(j).expression()).append(" = ").append(order.get(j).cast()).append(" and ");
                args.add(last.get(j));
            }
            sql.append(order.get(i).expression()).append(order.get(i).ascending() ? " > " : " < ")
                    .append(order.get(i).cast()).append(")");
            args.add(last.get(i));
        }
        sql.append(")");
    }

    /** A sort key as SQL: never null, so keyset comparisons are total. */
    private record SortColumn(String expression, String cast, boolean ascending) {
    }

    private static List<SortColumn> order(List<SearchQuery.SortKey> sortby) {
        List<SortColumn> order = new ArrayList<>();
        if (sortby.isEmpty()) {
            order.add(new SortColumn("search_start", "?::timestamptz", false));
        }
        for (SearchQuery.SortKey key : sortby) {
            order.add(switch (key.field()) {
                case "id" -> new SortColumn("item_id", "?::text", key.ascending());
                case "collection" -> new SortColumn("collection_id", "?::text", key.ascending());
                case "datetime" -> new SortColumn("search_start", "?::timestamptz", key.ascending());
                default -> new SortColumn("coalesce(document->'properties'->'"
                        + key.field().substring("properties.".length()).replace("'", "") + "', 'null'::jsonb)",
                        "?::jsonb", key.ascending());
            });
        }
        // Tie-breakers make the order total, which keyset paging needs.
        order.add(new SortColumn("collection_id", "?::text", true));
        order.add(new SortColumn("item_id", "?::text", true));
        return order;
    }

    private static List<Object> decode(String token, int keys) {
        try {
            List<Object> values = Json.readList(new String(Base64.getUrlDecoder().decode(token),
                    StandardCharsets.UTF_8));
            if (values.size() != keys) {
                throw new IllegalArgumentException("wrong key count");
            }
            return values;
        } catch (RuntimeException e) {
            throw new BadRequestException("invalid_parameter", "token is not a token this search returned "
                    + "(it must be used with the same sortby)", Map.of("field", "token"));
        }
    }
}
