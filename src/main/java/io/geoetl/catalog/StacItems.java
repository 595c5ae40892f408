package io.geoetl.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.geoetl.error.PermanentTaskException;
import io.geoetl.orchestration.Ids;

/**
 * Builds STAC 1.0.0 documents (projection v1.2.0, raster v1.1.0, file v2.1.0, eo v1.1.0 for RGB imagery)
 * from GDAL metadata.
 * No Java STAC library exists; documents are plain maps validated in tests against the official schemas.
 *
 * <p>Projection v1.2.0 rather than v2.0.0: v1.2.0 carries both {@code proj:epsg} and {@code proj:code},
 * and GDAL's STACIT driver (3.6, Debian 12) reads only {@code proj:epsg}; v2.0.0 removed it, so clients
 * of that generation could not mosaic geoetl's items at all.
 */
public final class StacItems {

    public static final String PROJECTION = "https://stac-extensions.github.io/projection/v1.2.0/schema.json";
    public static final String RASTER = "https://stac-extensions.github.io/raster/v1.1.0/schema.json";
    public static final String FILE = "https://stac-extensions.github.io/file/v2.1.0/schema.json";
    public static final String EO = "https://stac-extensions.github.io/eo/v1.1.0/schema.json";
    private static final DateTimeFormatter TIFF_DATETIME = DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss");

    private StacItems() {
    }

    /** A stable item id from a blob name: path separators become "__", other odd characters "-". */
    /** The collection holding the tiles of a tiled raster's item: {@code {collection}-{item}}, at most 128. */
    public static String tilesCollection(String collection, String itemId) {
        String id = collection + "-" + itemId;
        return id.length() <= 128 ? id : id.substring(0, 111) + "-" + Ids.sha256(id).substring(0, 16);
    }

    public static String itemId(String blobName) {
        String stem = blobName.contains(".") && blobName.lastIndexOf('.') > blobName.lastIndexOf('/')
                ? blobName.substring(0, blobName.lastIndexOf('.')) : blobName;
        String id = stem.replace("/", "__").replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        if (id.isEmpty()) {
            id = "item";
        }
        if (id.length() > 200) {
            id = id.substring(0, 180) + "-" + Ids.sha256(blobName).substring(0, 16);
        }
        return id;
    }

    /** An empty collection document; its extent is filled in as items arrive. */
    public static Map<String, Object> collection(String collectionId, String description) {
        Map<String, Object> collection = new LinkedHashMap<>();
        collection.put("type", "Collection");
        collection.put("stac_version", "1.0.0");
        collection.put("stac_extensions", List.of());
        collection.put("id", collectionId);
        collection.put("title", collectionId);
        collection.put("description", description);
        collection.put("license", "proprietary");
        collection.put("extent", Map.of("spatial", Map.of("bbox", List.of(List.of(-180, -90, 180, 90))),
                "temporal", Map.of("interval", List.of(Arrays.asList(null, null)))));
        collection.put("links", List.of());
        return collection;
    }

    /**
     * An item for a raster from {@code gdalinfo -json}, its bands' statistics and histograms merged in
     * ({@link RasterPreview#withStatistics}).
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> rasterItem(String collectionId, String itemId, Map<String, Object> info,
            String href, String mediaType, Path file, OffsetDateTime ingestedAt) {
        Map<String, Object> extent = (Map<String, Object>) info.get("wgs84Extent");
        if (extent == null) {
            throw new PermanentTaskException("missing_crs", "the raster has no coordinate reference system, so it "
                    + "cannot be placed on the map");
        }
        List<Number> size = (List<Number>) info.get("size");
        Map<String, Object> properties = new LinkedHashMap<>();
        datetime(properties, fileDatetime(info), ingestedAt);
        timestamps(properties, ingestedAt);
        Map<String, Object> stac = (Map<String, Object>) info.getOrDefault("stac", Map.of());
        Integer epsg = stac.get("proj:epsg") instanceof Number code ? code.intValue() : null;
        putProjectionCode(properties, epsg);
        if (epsg == null) {
            // No EPSG code: the CRS itself, so a client can still place the pixels.
            if (stac.get("proj:wkt2") != null) {
                properties.put("proj:wkt2", stac.get("proj:wkt2"));
            } else if (stac.get("proj:projjson") != null) {
                properties.put("proj:projjson", stac.get("proj:projjson"));
            }
        }
        properties.put("proj:shape", List.of(size.get(1), size.get(0)));
        if (info.get("geoTransform") instanceof List<?> gt) {
            List<Double> transform = List.of(num(gt.get(1)), num(gt.get(2)), num(gt.get(0)), num(gt.get(4)),
                    num(gt.get(5)), num(gt.get(3)));
            properties.put("proj:transform", transform);
            properties.put("proj:bbox", projectedBbox(transform, size.get(0).longValue(), size.get(1).longValue()));
        }
        List<Map<String, Object>> bands = new ArrayList<>();
        List<Map<String, Object>> infoBands = (List<Map<String, Object>>) info.getOrDefault("bands", List.of());
        Double resolution = RasterBands.spatialResolution(info.get("geoTransform"));
        for (Map<String, Object> band : infoBands) {
            bands.add(RasterBands.rasterBand(band, resolution));
        }
        Map<String, Object> asset = asset(href, mediaType, file);
        asset.put("raster:bands", bands);
        List<Map<String, Object>> eoBands = RasterBands.eoBands(infoBands);
        if (!eoBands.isEmpty()) {
            asset.put("eo:bands", eoBands);
        }
        return item(collectionId, itemId, (Map<String, Object>) extent, properties, asset,
                eoBands.isEmpty() ? List.of(PROJECTION, RASTER, FILE) : List.of(PROJECTION, RASTER, FILE, EO));
    }

    /** An item for a vector file from the OGR metadata helper; the footprint is the union of layer extents. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> vectorItem(String collectionId, String itemId, Map<String, Object> info,
            String href, String mediaType, Path file, OffsetDateTime ingestedAt) {
        List<Map<String, Object>> layers = (List<Map<String, Object>>) info.getOrDefault("layers", List.of());
        double[] box = null;
        String code = null;
        List<Map<String, Object>> summaries = new ArrayList<>();
        for (Map<String, Object> layer : layers) {
            if (layer.get("bbox_wgs84") instanceof List<?> b && b.size() == 4) {
                double[] layerBox = {num(b.get(0)), num(b.get(1)), num(b.get(2)), num(b.get(3))};
                box = box == null ? layerBox : new double[] {Math.min(box[0], layerBox[0]),
                    Math.min(box[1], layerBox[1]), Math.max(box[2], layerBox[2]), Math.max(box[3], layerBox[3])};
            }
            if (code == null && layer.get("crs") instanceof Map<?, ?> crs) {
                code = (String) crs.get("code");
            }
            summaries.add(Map.of("name", layer.get("name"), "feature_count", layer.get("feature_count"),
                    "geometry_type", layer.get("geometry_type")));
        }
        if (box == null) {
            throw new PermanentTaskException("no_extent", "the vector file has no layer with geometries and a "
                    + "known extent");
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        datetime(properties, null, ingestedAt);
        timestamps(properties, ingestedAt);
        putProjectionCode(properties, epsgOf(code));
        if (code != null && epsgOf(code) == null) {
            properties.put("proj:code", code);
        }
        properties.put("geoetl:layers", summaries);
        properties.put("geoetl:driver", info.get("driver"));
        Map<String, Object> footprint = Map.of("type", "Polygon", "coordinates", List.of(List.of(
                List.of(box[0], box[1]), List.of(box[2], box[1]), List.of(box[2], box[3]), List.of(box[0], box[3]),
                List.of(box[0], box[1]))));
        return item(collectionId, itemId, footprint, properties, asset(href, mediaType, file),
                List.of(PROJECTION, FILE));
    }

    /**
     * {@code proj:epsg} and {@code proj:code} of a CRS with this EPSG code; both null for a CRS without
     * one (the projection extension's way of saying "look at proj:wkt2 or proj:projjson").
     */
    public static void putProjectionCode(Map<String, Object> properties, Integer epsg) {
        properties.put("proj:epsg", epsg);
        properties.put("proj:code", epsg == null ? null : "EPSG:" + epsg);
    }

    /** The EPSG number of an "EPSG:n" code, or null for any other authority or form. */
    static Integer epsgOf(String code) {
        if (code == null || !code.matches("(?i)EPSG:[0-9]{1,9}")) {
            return null;
        }
        return Integer.valueOf(code.substring(5));
    }

    /**
     * The bounds of the pixel grid in its own CRS, from the affine transform (proj:transform order
     * a, b, c, d, e, f: x = a*col + b*row + c, y = d*col + e*row + f); all four corners count, so a
     * rotated or south-up grid gets its true bounds.
     */
    static List<Double> projectedBbox(List<Double> t, long columns, long rows) {
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (long[] corner : new long[][] {{0, 0}, {columns, 0}, {0, rows}, {columns, rows}}) {
            double x = t.get(0) * corner[0] + t.get(1) * corner[1] + t.get(2);
            double y = t.get(3) * corner[0] + t.get(4) * corner[1] + t.get(5);
            minX = Math.min(minX, x);
            minY = Math.min(minY, y);
            maxX = Math.max(maxX, x);
            maxY = Math.max(maxY, y);
        }
        return List.of(minX, minY, maxX, maxY);
    }

    private static Map<String, Object> item(String collectionId, String itemId, Map<String, Object> geometry,
            Map<String, Object> properties, Map<String, Object> dataAsset, List<String> extensions) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("type", "Feature");
        item.put("stac_version", "1.0.0");
        item.put("stac_extensions", extensions);
        item.put("id", itemId);
        item.put("collection", collectionId);
        item.put("geometry", geometry);
        item.put("bbox", bbox(geometry));
        item.put("properties", properties);
        item.put("links", List.of());
        Map<String, Object> assets = new LinkedHashMap<>();
        assets.put("data", dataAsset);
        item.put("assets", assets);
        return item;
    }

    /** A PNG thumbnail asset (RasterPreview makes the file). */
    public static Map<String, Object> thumbnailAsset(String href) {
        Map<String, Object> asset = new LinkedHashMap<>();
        asset.put("href", href);
        asset.put("type", "image/png");
        asset.put("title", "Thumbnail");
        asset.put("roles", List.of("thumbnail"));
        return asset;
    }

    /** Adds the thumbnail asset to an item. */
    @SuppressWarnings("unchecked")
    public static void addThumbnail(Map<String, Object> item, String href) {
        ((Map<String, Object>) item.get("assets")).put("thumbnail", thumbnailAsset(href));
    }

    /**
     * created and updated (RFC 3339, milliseconds): both the time this document was made. The catalog keeps
     * the created of an item it already holds when the item is written again (StacRepository.upsertItems),
     * so created stays the first time geoetl catalogued the item.
     */
    private static void timestamps(Map<String, Object> properties, OffsetDateTime now) {
        String stamp = now.toInstant().truncatedTo(ChronoUnit.MILLIS).toString();
        properties.put("created", stamp);
        properties.put("updated", stamp);
    }

    private static Map<String, Object> asset(String href, String mediaType, Path file) {
        Map<String, Object> asset = new LinkedHashMap<>();
        asset.put("href", href);
        asset.put("type", mediaType);
        asset.put("roles", List.of("data"));
        try {
            asset.put("file:size", Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        asset.put("file:checksum", multihashSha256(file));
        return asset;
    }

    /** TIFFTAG_DATETIME (YYYY:MM:DD HH:MM:SS) when present. */
    @SuppressWarnings("unchecked")
    private static OffsetDateTime fileDatetime(Map<String, Object> info) {
        if (info.get("metadata") instanceof Map<?, ?> metadata && metadata.get("") instanceof Map<?, ?> domain
                && domain.get("TIFFTAG_DATETIME") instanceof String text) {
            try {
                return LocalDateTime.parse(text.trim(), TIFF_DATETIME).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException ignored) {
                return null;
            }
        }
        return null;
    }

    /** Puts datetime and says where it came from (the file's own metadata, or the time geoetl ingested it). */
    private static void datetime(Map<String, Object> properties, OffsetDateTime fromFile, OffsetDateTime ingestedAt) {
        OffsetDateTime value = fromFile != null ? fromFile : ingestedAt;
        // Instant.toString always prints seconds (2021-03-01T12:00:00Z), as RFC 3339 requires.
        properties.put("datetime", value.toInstant().truncatedTo(ChronoUnit.SECONDS).toString());
        properties.put("geoetl:datetime_source", fromFile != null ? "file_metadata" : "ingest_time");
    }

    @SuppressWarnings("unchecked")
    private static List<Double> bbox(Map<String, Object> geometry) {
        double[] box = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (List<Object> ring : (List<List<Object>>) geometry.get("coordinates")) {
            for (Object point : ring) {
                List<Object> xy = (List<Object>) point;
                box[0] = Math.min(box[0], num(xy.get(0)));
                box[1] = Math.min(box[1], num(xy.get(1)));
                box[2] = Math.max(box[2], num(xy.get(0)));
                box[3] = Math.max(box[3], num(xy.get(1)));
            }
        }
        return List.of(box[0], box[1], box[2], box[3]);
    }

    private static double num(Object value) {
        return ((Number) value).doubleValue();
    }

    /** file:checksum as a multihash: 0x12 (sha2-256), 0x20 (32 bytes), then the digest, hex encoded. */
    static String multihashSha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = in.read(buffer)) != -1) {
                digest.update(buffer, 0, read);
            }
            return "1220" + HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
