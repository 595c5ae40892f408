package io.geoetl.stac;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.geoetl.access.ApiKey;
import io.geoetl.api.ApiResponse;
import io.geoetl.api.HttpRequests;
import io.geoetl.config.StacProperties;
import io.geoetl.error.BadRequestException;
import io.geoetl.error.NotFoundException;
import io.geoetl.features.FeaturesApi;
import io.geoetl.orchestration.Json;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Headers;
import org.springframework.stereotype.Component;

/** STAC API 1.0 under /api/stac: landing page, conformance, collections, items, search, queryables. */
@Component("stacApi")
public class StacApi {

    static final List<String> CONFORMANCE = List.of(
            "https://api.stacspec.org/v1.0.0/core",
            "https://api.stacspec.org/v1.0.0/collections",
            "https://api.stacspec.org/v1.0.0/ogcapi-features",
            "https://api.stacspec.org/v1.0.0/ogcapi-features#sort",
            "https://api.stacspec.org/v1.0.0/ogcapi-features#fields",
            "https://api.stacspec.org/v1.0.0/item-search",
            "https://api.stacspec.org/v1.0.0/item-search#sort",
            "https://api.stacspec.org/v1.0.0/item-search#fields",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson");
    private static final String GEOJSON = "application/geo+json";
    private static final String JSON = "application/json";

    private final StacRepository repository;
    private final StacProperties properties;
    private final AssetHrefs hrefs;
    private final ApiKey apiKey;

    StacApi(StacRepository repository, StacProperties properties, AssetHrefs hrefs, ApiKey apiKey) {
        this.repository = repository;
        this.properties = properties;
        this.hrefs = hrefs;
        this.apiKey = apiKey;
    }

    public ApiResponse landing(Exchange exchange) {
        String base = base(exchange);
        List<Map<String, Object>> links = new ArrayList<>(List.of(
                link("self", base, JSON), link("root", base, JSON),
                link("service-desc", root(exchange) + "/api/openapi.json", "application/vnd.oai.openapi+json;version=3.0"),
                link("conformance", base + "/conformance", JSON),
                link("data", base + "/collections", JSON),
                withMethod(link("search", base + "/search", GEOJSON), "GET"),
                withMethod(link("search", base + "/search", GEOJSON), "POST")));
        for (Map<String, Object> collection : repository.collections()) {
            Map<String, Object> child = link("child", base + "/collections/" + collection.get("id"), JSON);
            child.put("title", collection.getOrDefault("title", collection.get("id")));
            links.add(child);
        }
        Map<String, Object> landing = new LinkedHashMap<>();
        landing.put("type", "Catalog");
        landing.put("stac_version", "1.0.0");
        landing.put("id", "geoetl");
        landing.put("title", "geoetl STAC API");
        landing.put("description", "Rasters, vector tables and files catalogued by geoetl");
        landing.put("conformsTo", CONFORMANCE);
        landing.put("links", links);
        return json(landing, JSON);
    }

    public ApiResponse conformance() {
        return json(Map.of("conformsTo", CONFORMANCE), JSON);
    }

    public ApiResponse collections(Exchange exchange) {
        String base = base(exchange);
        List<Map<String, Object>> collections = repository.collections().stream()
                .map(collection -> withCollectionLinks(collection, base, exchange)).toList();
        return json(Map.of("collections", collections, "links", List.of(link("self", base + "/collections", JSON),
                link("root", base, JSON))), JSON);
    }

    public ApiResponse collection(@Header("collection_id") String collectionId, Exchange exchange) {
        return json(withCollectionLinks(requireCollection(collectionId), base(exchange), exchange), JSON);
    }

    public ApiResponse items(@Header("collection_id") String collectionId, @Headers Map<String, Object> headers, Exchange exchange) {
        requireCollection(collectionId);
        Map<String, String> params = queryParameters(headers);
        params.put("collections", collectionId);
        params.remove("ids");
        SearchQuery query = SearchParser.fromQuery(params);
        String base = base(exchange);
        String self = base + "/collections/" + collectionId + "/items";
        return page(query, base, self, null, exchange);
    }

    public ApiResponse item(@Header("collection_id") String collectionId, @Header("item_id") String itemId,
            Exchange exchange) {
        requireCollection(collectionId);
        Map<String, Object> item = repository.findItem(collectionId, itemId)
                .orElseThrow(() -> new NotFoundException("item", itemId));
        return json(present(item, base(exchange), exchange), GEOJSON);
    }

    public ApiResponse searchGet(@Headers Map<String, Object> headers, Exchange exchange) {
        String base = base(exchange);
        return page(SearchParser.fromQuery(queryParameters(headers)), base, base + "/search", null, exchange);
    }

    public ApiResponse searchPost(@Body String body, Exchange exchange) {
        Map<String, Object> request;
        try {
            request = body == null || body.isBlank() ? Map.of() : Json.readMap(body);
        } catch (RuntimeException e) {
            throw new BadRequestException("invalid_json", "search body is not a JSON object", Map.of());
        }
        String base = base(exchange);
        return page(SearchParser.fromBody(request), base, base + "/search", request, exchange);
    }

    public ApiResponse queryables(Exchange exchange) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("$schema", "https://json-schema.org/draft/2019-09/schema");
        schema.put("$id", base(exchange) + "/queryables");
        schema.put("type", "object");
        schema.put("title", "Queryables of the geoetl catalog");
        schema.put("properties", Map.of(
                "id", Map.of("description", "Item id", "type", "string"),
                "collection", Map.of("description", "Collection id", "type", "string"),
                "geometry", Map.of("description", "Footprint", "$ref", "https://geojson.org/schema/Geometry.json"),
                "datetime", Map.of("description", "Acquisition or ingest time", "type", "string",
                        "format", "date-time")));
        schema.put("additionalProperties", true);
        return json(schema, "application/schema+json");
    }

    private ApiResponse page(SearchQuery query, String base, String self, Map<String, Object> postBody,
            Exchange exchange) {
        StacRepository.Page page = repository.search(query);
        List<Map<String, Object>> features = page.items().stream()
                .map(item -> StacFields.apply(present(item, base, exchange), query.include(), query.exclude()))
                .toList();
        List<Map<String, Object>> links = new ArrayList<>(List.of(link("self", self, GEOJSON),
                link("root", base, JSON)));
        if (page.nextToken() != null) {
            Map<String, Object> next = link("next", self, GEOJSON);
            if (postBody == null) {
                next.put("href", self + "?" + nextQuery(query, page.nextToken()));
                next.put("method", "GET");
            } else {
                Map<String, Object> nextBody = new LinkedHashMap<>(postBody);
                nextBody.put("token", page.nextToken());
                next.put("method", "POST");
                next.put("body", nextBody);
                next.put("merge", false);
            }
            links.add(next);
        }
        Map<String, Object> collection = new LinkedHashMap<>();
        collection.put("type", "FeatureCollection");
        collection.put("features", features);
        collection.put("links", links);
        collection.put("numberReturned", features.size());
        return json(collection, GEOJSON);
    }

    /** The query string of the next page: the same filters plus the token. */
    private static String nextQuery(SearchQuery query, String token) {
        List<String> parts = new ArrayList<>();
        if (query.bbox() != null) {
            parts.add("bbox=" + join(query.bbox()));
        }
        if (query.intersects() != null) {
            parts.add("intersects=" + encode(query.intersects()));
        }
        if (query.start() != null || query.end() != null) {
            String start = query.start() == null ? ".." : query.start().toString();
            String end = query.end() == null ? ".." : query.end().toString();
            parts.add("datetime=" + encode(start.equals(end) ? start : start + "/" + end));
        }
        if (!query.collections().isEmpty()) {
            parts.add("collections=" + encode(String.join(",", query.collections())));
        }
        if (!query.ids().isEmpty()) {
            parts.add("ids=" + encode(String.join(",", query.ids())));
        }
        if (!query.sortby().isEmpty()) {
            parts.add("sortby=" + encode(String.join(",", query.sortby().stream()
                    .map(key -> (key.ascending() ? "+" : "-") + key.field()).toList())));
        }
        List<String> fields = new ArrayList<>(query.include());
        query.exclude().forEach(field -> fields.add("-" + field));
        if (!fields.isEmpty()) {
            parts.add("fields=" + encode(String.join(",", fields)));
        }
        parts.add("limit=" + query.limit());
        parts.add("token=" + token);
        return String.join("&", parts);
    }

    private Map<String, Object> present(Map<String, Object> stored, String base, Exchange exchange) {
        Map<String, Object> item = new LinkedHashMap<>(stored);
        String collection = (String) item.get("collection");
        String self = base + "/collections/" + collection + "/items/" + item.get("id");
        List<Map<String, Object>> links = new ArrayList<>(List.of(link("self", self, GEOJSON), link("parent", base
                + "/collections/" + collection, JSON), link("collection", base + "/collections/" + collection, JSON),
                link("root", base, JSON)));
        links.addAll(FeaturesApi.stacItemLinks(item, base));
        item.put("links", links);
        if (item.get("assets") instanceof Map<?, ?> assets) {
            item.put("assets", hrefs.present(assets, self + "/assets", mayReadBytes(exchange)));
        }
        return item;
    }

    private Map<String, Object> withCollectionLinks(Map<String, Object> stored, String base,
            Exchange exchange) {
        Map<String, Object> collection = new LinkedHashMap<>(stored);
        String self = base + "/collections/" + collection.get("id");
        collection.put("links", List.of(link("self", self, JSON), link("root", base, JSON),
                link("parent", base, JSON), link("items", self + "/items", GEOJSON)));
        if (collection.get("assets") instanceof Map<?, ?> assets) {
            collection.put("assets", hrefs.present(assets, self + "/assets", mayReadBytes(exchange)));
        }
        return collection;
    }

    private Map<String, Object> requireCollection(String collectionId) {
        return repository.findCollection(collectionId).orElseThrow(() -> new NotFoundException("collection",
                collectionId));
    }

    /**
     * Whether this caller may be handed links that read asset bytes by themselves (signed links): with an
     * API key set, only a caller who presented it; the catalog itself stays open to everyone.
     */
    private boolean mayReadBytes(Exchange exchange) {
        if (!apiKey.configured()) {
            return true;
        }
        HttpServletRequest request = HttpRequests.of(exchange);
        return request != null && apiKey.presentedBy(request);
    }

    /** The API's root URL for links: the configured public URL, else the Host the client sent. */
    private String root(Exchange exchange) {
        return properties.publicRoot(HttpRequests.host(exchange));
    }

    private String base(Exchange exchange) {
        return root(exchange) + "/api/stac";
    }

    private static Map<String, String> queryParameters(Map<String, Object> headers) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : List.of("bbox", "intersects", "datetime", "collections", "ids", "limit", "sortby",
                "fields", "token")) {
            Object value = headers.get(name);
            if (value != null) {
                params.put(name, String.valueOf(value));
            }
        }
        return params;
    }

    static Map<String, Object> link(String rel, String href, String type) {
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("rel", rel);
        link.put("href", href);
        link.put("type", type);
        return link;
    }

    private static Map<String, Object> withMethod(Map<String, Object> link, String method) {
        link.put("method", method);
        return link;
    }

    private static String join(double[] values) {
        List<String> parts = new ArrayList<>();
        for (double value : values) {
            parts.add(String.valueOf(value));
        }
        return String.join(",", parts);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static ApiResponse json(Object body, String contentType) {
        return new ApiResponse(200, body, Map.of(Exchange.CONTENT_TYPE, contentType));
    }
}
