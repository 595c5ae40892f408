package io.geoetl.features;

import java.util.Map;

import io.geoetl.error.BadRequestException;

/**
 * The validated query of /collections/{id}/items. Every value is parsed here from request text into
 * numbers; nothing of the text itself reaches SQL.
 *
 * @param limit features per page, 1 to {@link #MAX_LIMIT}
 * @param bbox  minLon, minLat, maxLon, maxLat in CRS84, or null; minLon > maxLon crosses the antimeridian
 * @param after the last ogc_fid of the previous page (keyset paging), or null for the first page
 */
record ItemsQuery(int limit, double[] bbox, Long after) {

    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 10_000;

    static ItemsQuery parse(Map<String, Object> parameters) {
        return new ItemsQuery(limit(text(parameters, "limit")), bbox(text(parameters, "bbox")),
                after(text(parameters, "after")));
    }

    /** The query string of this page (its self link). */
    String selfQuery() {
        return query(after);
    }

    /** The query string of the page after the one that ended at {@code lastFid}. */
    String nextQuery(long lastFid) {
        return query(lastFid);
    }

    private String query(Long afterFid) {
        StringBuilder query = new StringBuilder("limit=" + limit);
        if (bbox != null) {
            query.append("&bbox=").append(bbox[0]).append(',').append(bbox[1]).append(',').append(bbox[2])
                    .append(',').append(bbox[3]);
        }
        return afterFid == null ? query.toString() : query.append("&after=").append(afterFid).toString();
    }

    private static String text(Map<String, Object> parameters, String name) {
        Object value = parameters.get(name);
        return value == null ? null : String.valueOf(value);
    }

    static int limit(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw BadRequestException.invalidParameter("limit", "must be an integer from 1 to " + MAX_LIMIT);
        }
        if (value < 1 || value > MAX_LIMIT) {
            throw BadRequestException.invalidParameter("limit", "must be from 1 to " + MAX_LIMIT + ", got " + value);
        }
        return (int) value;
    }

    static Long after(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            long value = Long.parseLong(text.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw BadRequestException.invalidParameter("after", "must be a non-negative integer (the ogc_fid the "
                + "previous page ended at, as its next link gives it)");
    }

    static double[] bbox(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String[] parts = text.split(",", -1);
        if (parts.length != 4) {
            throw BadRequestException.invalidParameter("bbox", "must be four numbers minLon,minLat,maxLon,maxLat "
                    + "in CRS84 (got " + parts.length + " values; 3D bounding boxes are not supported)");
        }
        double[] values = new double[4];
        for (int i = 0; i < 4; i++) {
            try {
                values[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw BadRequestException.invalidParameter("bbox", "value " + (i + 1) + " is not a number");
            }
            if (!Double.isFinite(values[i])) {
                throw BadRequestException.invalidParameter("bbox", "value " + (i + 1) + " is not a finite number");
            }
        }
        if (Math.abs(values[0]) > 180 || Math.abs(values[2]) > 180 || Math.abs(values[1]) > 90
                || Math.abs(values[3]) > 90) {
            throw BadRequestException.invalidParameter("bbox", "longitudes must be within [-180, 180] and latitudes "
                    + "within [-90, 90] (CRS84: longitude first)");
        }
        if (values[1] > values[3]) {
            throw BadRequestException.invalidParameter("bbox", "minLat must not be greater than maxLat");
        }
        return values;
    }
}
