package io.geoetl.features;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.util.RawValue;
import io.geoetl.api.ApiResponse;
import io.geoetl.api.HttpRequests;
import io.geoetl.config.StacProperties;
import io.geoetl.error.NotFoundException;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Headers;
import org.springframework.stereotype.Component;

/**
 * OGC API - Features Part 1 (Core) under /api/features: landing page, conformance, collections (one per
 * table geoetl loaded, see {@link FeatureTables}), items pages and single features as GeoJSON in CRS84.
 */
@Component("featuresApi")
public class FeaturesApi {

    static final String PATH = "/api/features";
    static final List<String> CONFORMANCE = List.of(
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30");
    static final String CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    private static final String GEOJSON = "application/geo+json";
    private static final String JSON = "application/json";

    private final FeatureTables tables;
    private final FeatureRows rows;
    private final StacProperties stac;

    FeaturesApi(FeatureTables tables, FeatureRows rows, StacProperties stac) {
        this.tables = tables;
        this.rows = rows;
        this.stac = stac;
    }

    public ApiResponse landing(Exchange exchange) {
        String base = base(exchange);
        Map<String, Object> landing = new LinkedHashMap<>();
        landing.put("title", "geoetl features");
        landing.put("description", "Every table geoetl loaded, as OGC API - Features collections (read only)");
        landing.put("links", List.of(link("self", base, JSON, "This document"),
                link("service-desc", root(exchange) + "/api/openapi.json", "application/vnd.oai.openapi+json;version=3.0",
                        "The API definition"),
                link("conformance", base + "/conformance", JSON, "Conformance classes"),
                link("data", base + "/collections", JSON, "Collections: the tables geoetl loaded")));
        return json(landing, JSON);
    }

    public ApiResponse conformance() {
        return json(Map.of("conformsTo", CONFORMANCE), JSON);
    }

    public ApiResponse collections(Exchange exchange) {
        String base = base(exchange);
        List<Map<String, Object>> collections = tables.all().stream().map(table -> collection(table, base)).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("links", List.of(link("self", base + "/collections", JSON, "Collections")));
        body.put("collections", collections);
        return json(body, JSON);
    }

    public ApiResponse collection(@Header("collection_id") String collectionId, Exchange exchange) {
        return json(collection(require(collectionId), base(exchange)), JSON);
    }

    public ApiResponse items(@Header("collection_id") String collectionId, @Headers Map<String, Object> headers, Exchange exchange) {
        FeatureTable table = require(collectionId);
        ItemsQuery query = ItemsQuery.parse(headers);
        String base = base(exchange);
        String collectionUrl = base + "/collections/" + table.id();
        String self = collectionUrl + "/items";
        FeatureRows.Page page = rows.page(table, query);
        List<Map<String, Object>> features = page.rows().stream().map(row -> feature(row, null)).toList();
        List<Map<String, Object>> links = new ArrayList<>(List.of(
                link("self", self + "?" + query.selfQuery(), GEOJSON, "This page"),
                link("collection", collectionUrl, JSON, table.id())));
        if (page.more()) {
            long last = page.rows().get(page.rows().size() - 1).fid();
            links.add(link("next", self + "?" + query.nextQuery(last), GEOJSON, "Next page"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "FeatureCollection");
        body.put("features", features);
        body.put("links", links);
        body.put("timeStamp", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        body.put("numberReturned", features.size());
        return json(body, GEOJSON);
    }

    public ApiResponse feature(@Header("collection_id") String collectionId, @Header("feature_id") String featureId,
            Exchange exchange) {
        FeatureTable table = require(collectionId);
        long fid;
        try {
            fid = Long.parseLong(featureId);
        } catch (NumberFormatException e) {
            throw new NotFoundException("feature", featureId);
        }
        FeatureRows.Row row = rows.one(table, fid).orElseThrow(() -> new NotFoundException("feature", featureId));
        String collectionUrl = base(exchange) + "/collections/" + table.id();
        return json(feature(row, List.of(link("self", collectionUrl + "/items/" + fid, GEOJSON, "This feature"),
                link("collection", collectionUrl, JSON, table.id()))), GEOJSON);
    }

    /**
     * Links a STAC item of a loaded table (property {@code geoetl:table}) adds to point at its features,
     * given the STAC API's base URL (.../api/stac). The rel is IANA's "related": "items" is what OGC API and
     * STAC use from a collection to its own items, and a STAC item is not the collection it would point at;
     * stac-fastapi and pgstac define no rel for this, and "related" is what clients treat as a plain
     * see-also link. Whether the table still exists is not checked here (that would be a query per item of
     * a search page): a dropped table's link answers 404.
     */
    public static List<Map<String, Object>> stacItemLinks(Map<String, Object> item, String stacBase) {
        if (!(item.get("properties") instanceof Map<?, ?> properties)
                || !(properties.get("geoetl:table") instanceof String table) || !stacBase.endsWith("/api/stac")) {
            return List.of();
        }
        String base = stacBase.substring(0, stacBase.length() - "/api/stac".length()) + PATH;
        return List.of(link("related", base + "/collections/" + table + "/items", GEOJSON,
                "Features of " + table + " (OGC API - Features)"));
    }

    private Map<String, Object> collection(FeatureTable table, String base) {
        String self = base + "/collections/" + table.id();
        Map<String, Object> collection = new LinkedHashMap<>();
        collection.put("id", table.id());
        collection.put("title", table.id());
        collection.put("description", "Table " + table.id() + " loaded by geoetl (" + table.geometryType() + ")");
        if (table.bbox() != null) {
            double[] b = table.bbox();
            collection.put("extent", Map.of("spatial", Map.of("bbox", List.of(List.of(b[0], b[1], b[2], b[3])),
                    "crs", CRS84)));
        }
        collection.put("itemType", "feature");
        collection.put("crs", List.of(CRS84));
        collection.put("links", List.of(link("self", self, JSON, table.id()),
                link("items", self + "/items", GEOJSON, "Features of " + table.id())));
        return collection;
    }

    private static Map<String, Object> feature(FeatureRows.Row row, List<Map<String, Object>> links) {
        Map<String, Object> feature = new LinkedHashMap<>();
        feature.put("type", "Feature");
        feature.put("id", row.fid());
        // PostGIS wrote both as JSON: embedded as they are instead of parsed and written again.
        feature.put("geometry", row.geometry() == null ? null : new RawValue(row.geometry()));
        feature.put("properties", new RawValue(row.properties()));
        if (links != null) {
            feature.put("links", links);
        }
        return feature;
    }

    private FeatureTable require(String collectionId) {
        return tables.find(collectionId).orElseThrow(() -> new NotFoundException("collection", collectionId));
    }

    /** The API's root URL for links: the configured public URL, else the Host the client sent. */
    private String root(Exchange exchange) {
        return stac.publicRoot(HttpRequests.host(exchange));
    }

    private String base(Exchange exchange) {
        return root(exchange) + PATH;
    }

    private static Map<String, Object> link(String rel, String href, String type, String title) {
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("rel", rel);
        link.put("href", href);
        link.put("type", type);
        link.put("title", title);
        return link;
    }

    private static ApiResponse json(Object body, String contentType) {
        return new ApiResponse(200, body, Map.of(Exchange.CONTENT_TYPE, contentType));
    }
}
