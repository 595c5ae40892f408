package io.geoetl.stac;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A validated STAC item search.
 *
 * @param bbox        [minx, miny, maxx, maxy] in EPSG:4326, or null
 * @param intersects  a GeoJSON geometry as text, or null
 * @param start       inclusive lower end of the datetime filter, or null (open)
 * @param end         inclusive upper end of the datetime filter, or null (open)
 * @param collections collection ids to search, empty for all
 * @param ids         item ids to return, empty for all
 * @param limit       page size, 1..10,000
 * @param sortby      sort keys, empty for the default order
 * @param include     fields to include (fields extension), empty for all
 * @param exclude     fields to exclude
 * @param token       the paging token of the page before, or null
 */
public record SearchQuery(double[] bbox, String intersects, OffsetDateTime start, OffsetDateTime end,
        List<String> collections, List<String> ids, int limit, List<SortKey> sortby, List<String> include,
        List<String> exclude, String token) {

    /** One sort key: a field (id, collection, datetime or properties.name) and its direction. */
    public record SortKey(String field, boolean ascending) {
    }

    public SearchQuery withToken(String next) {
        return new SearchQuery(bbox, intersects, start, end, collections, ids, limit, sortby, include, exclude, next);
    }
}
