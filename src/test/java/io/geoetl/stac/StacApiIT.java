package io.geoetl.stac;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.geoetl.IntegrationTest;
import io.geoetl.catalog.StacItems;
import io.geoetl.orchestration.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The STAC API over a collection of 25 synthetic items on a 5 x 5 grid, one day apart. */
class StacApiIT extends IntegrationTest {

    private static final OffsetDateTime FIRST_DAY = OffsetDateTime.of(2021, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);

    @Autowired
    StacRepository repository;

    private String collection;

    @BeforeEach
    void loadItems() {
        collection = "api-" + UUID.randomUUID().toString().substring(0, 8);
        repository.ensureCollection(collection, StacItems.collection(collection, "synthetic grid"));
        for (int i = 0; i < 25; i++) {
            double x = 10 + i % 5;
            double y = 40 + i / 5;
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("type", "Feature");
            item.put("stac_version", "1.0.0");
            item.put("stac_extensions", List.of());
            item.put("id", String.format("cell-%02d", i));
            item.put("collection", collection);
            item.put("geometry", Map.of("type", "Polygon", "coordinates", List.of(List.of(List.of(x, y),
                    List.of(x + 0.5, y), List.of(x + 0.5, y + 0.5), List.of(x, y + 0.5), List.of(x, y)))));
            item.put("bbox", List.of(x, y, x + 0.5, y + 0.5));
            item.put("properties", Map.of("datetime", FIRST_DAY.plusDays(i).toInstant().toString(), "rank", 25 - i));
            item.put("links", List.of());
            item.put("assets", Map.of());
            repository.upsertItem(collection, item);
        }
    }

    @Test
    void getPagingVisitsEveryItemExactlyOnce() {
        List<String> seen = new ArrayList<>();
        String next = "/api/stac/search?collections=" + collection + "&limit=7";
        int pages = 0;
        while (next != null) {
            Answer page = get(next);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/geo+json");
            features(page).forEach(item -> seen.add((String) item.get("id")));
            next = link(page, "next").map(href -> href.substring(href.indexOf("/api/stac"))).orElse(null);
            pages++;
        }
        assertThat(pages).isEqualTo(4);
        assertThat(seen).hasSize(25).doesNotHaveDuplicates();
        // Default order: newest first.
        assertThat(seen.get(0)).isEqualTo("cell-24");
    }

    @Test
    @SuppressWarnings("unchecked")
    void postPagingCarriesTheTokenInTheNextBody() {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("collections", List.of(collection), "limit", 10,
                "sortby", List.of(Map.of("field", "properties.rank", "direction", "asc"))));
        Set<String> seen = new HashSet<>();
        List<Object> ranks = new ArrayList<>();
        while (body != null) {
            Answer page = post("/api/stac/search", Json.write(body));
            assertThat(page.status()).as(page.raw().body()).isEqualTo(200);
            for (Map<String, Object> item : features(page)) {
                assertThat(seen.add((String) item.get("id"))).isTrue();
                ranks.add(((Map<String, Object>) item.get("properties")).get("rank"));
            }
            Map<String, Object> next = ((List<Map<String, Object>>) page.body().get("links")).stream()
                    .filter(link -> "next".equals(link.get("rel"))).findFirst().orElse(null);
            if (next != null) {
                assertThat(next).containsEntry("method", "POST");
            }
            body = next == null ? null : (Map<String, Object>) next.get("body");
        }
        assertThat(seen).hasSize(25);
        assertThat(ranks).isSortedAccordingTo((a, b) -> Integer.compare((Integer) a, (Integer) b));
    }

    @Test
    void filtersByBboxDatetimeIdsAndIntersects() {
        List<Map<String, Object>> corner = features(get("/api/stac/search?collections=" + collection
                + "&bbox=9.9,39.9,11.2,40.2"));
        List<Map<String, Object>> days = features(get("/api/stac/search?collections=" + collection
                + "&datetime=2021-03-03T00:00:00Z/2021-03-05T00:00:00Z"));
        List<Map<String, Object>> openStart = features(get("/api/stac/search?collections=" + collection
                + "&datetime=../2021-03-02T12:00:00Z&limit=100"));
        List<Map<String, Object>> instant = features(get("/api/stac/search?collections=" + collection
                + "&datetime=2021-03-01T12:00:00Z"));
        List<Map<String, Object>> byIds = features(get("/api/stac/search?ids=cell-03,cell-04&collections="
                + collection));
        List<Map<String, Object>> intersecting = features(post("/api/stac/search", "{\"collections\": [\""
                + collection + "\"], \"intersects\": {\"type\": \"Point\", \"coordinates\": [12.25, 41.25]}}"));

        assertThat(corner).extracting(item -> item.get("id")).containsExactlyInAnyOrder("cell-00", "cell-01");
        assertThat(days).extracting(item -> item.get("id")).containsExactlyInAnyOrder("cell-02", "cell-03");
        assertThat(openStart).extracting(item -> item.get("id")).containsExactlyInAnyOrder("cell-00", "cell-01");
        assertThat(instant).extracting(item -> item.get("id")).containsExactly("cell-00");
        assertThat(byIds).extracting(item -> item.get("id")).containsExactlyInAnyOrder("cell-03", "cell-04");
        assertThat(intersecting).extracting(item -> item.get("id")).containsExactly("cell-07");
    }

    @Test
    @SuppressWarnings("unchecked")
    void fieldsAndSortbyShapeTheAnswer() {
        List<Map<String, Object>> sorted = features(get("/api/stac/search?collections=" + collection
                + "&sortby=%2Bid&limit=3&fields=properties.rank,-assets"));

        assertThat(sorted).extracting(item -> item.get("id")).containsExactly("cell-00", "cell-01", "cell-02");
        assertThat(sorted.get(0)).doesNotContainKeys("assets", "geometry");
        assertThat((Map<String, Object>) sorted.get(0).get("properties")).containsOnlyKeys("rank");
    }

    @Test
    void badSearchParametersAnswer400WithAMessage() {
        for (String query : List.of("bbox=1,2,3", "bbox=a,b,c,d", "bbox=0,10,1,5", "datetime=yesterday",
                "datetime=2021-03-05T00:00:00Z/2021-03-01T00:00:00Z", "limit=0", "limit=-5", "limit=ten",
                "sortby=nonsense", "token=garbage", "bbox=0,0,1,1&intersects=%7B%22type%22%3A%22Point%22%2C"
                        + "%22coordinates%22%3A%5B0%2C0%5D%7D")) {
            Answer answer = get("/api/stac/search?" + query);
            assertThat(answer.status()).as(query).isEqualTo(400);
            assertThat((String) answer.body().get("message")).as(query).isNotBlank();
        }
        Answer notGeometry = post("/api/stac/search", "{\"intersects\": {\"type\": \"Circle\"}}");
        assertThat(notGeometry.status()).isEqualTo(400);
        assertThat((String) notGeometry.body().get("message")).contains("intersects");
    }

    @Test
    void limitAboveTenThousandIsServedAtTenThousand() {
        Answer answer = get("/api/stac/search?collections=" + collection + "&limit=50000");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(features(answer)).hasSize(25);
        assertThat(SearchParser.parseLimit("50000")).isEqualTo(10_000);
    }

    @Test
    @SuppressWarnings("unchecked")
    void landingConformanceCollectionsItemsAndQueryablesAreServed() throws Exception {
        Map<String, Object> landing = get("/api/stac").body();
        List<String> rels = ((List<Map<String, Object>>) landing.get("links")).stream()
                .map(link -> (String) link.get("rel")).toList();
        assertThat(rels).contains("root", "self", "service-desc", "conformance", "data", "search");
        assertThat((List<String>) landing.get("conformsTo")).contains("https://api.stacspec.org/v1.0.0/core",
                "https://api.stacspec.org/v1.0.0/item-search", "https://api.stacspec.org/v1.0.0/collections",
                "https://api.stacspec.org/v1.0.0/ogcapi-features", "https://api.stacspec.org/v1.0.0/item-search#sort",
                "https://api.stacspec.org/v1.0.0/item-search#fields");
        assertThat(get("/api/stac/conformance").body()).containsKey("conformsTo");
        assertThat(get("/api/stac/collections").status()).isEqualTo(200);
        Answer item = get("/api/stac/collections/" + collection + "/items/cell-05");
        assertThat(item.status()).isEqualTo(200);
        assertThat(item.body().get("id")).isEqualTo("cell-05");
        assertThat(get("/api/stac/collections/" + collection + "/items/nope").status()).isEqualTo(404);
        assertThat(get("/api/stac/collections/nope-" + collection).status()).isEqualTo(404);
        assertThat(features(get("/api/stac/collections/" + collection + "/items?limit=5"))).hasSize(5);
        assertThat(get("/api/stac/queryables").body()).containsKey("properties");
        StacValidator.assertValid(List.of(item.body(), get("/api/stac/collections/" + collection).body()));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> features(Answer answer) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        return (List<Map<String, Object>>) answer.body().get("features");
    }

    @SuppressWarnings("unchecked")
    private static Optional<String> link(Answer answer, String rel) {
        return ((List<Map<String, Object>>) answer.body().get("links")).stream()
                .filter(link -> rel.equals(link.get("rel"))).map(link -> (String) link.get("href")).findFirst();
    }
}
