package io.geoetl.stac;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.IntegrationTest;
import io.geoetl.catalog.Samples;
import io.geoetl.config.StacProperties;
import io.geoetl.config.StacProperties.AssetLinks;
import io.geoetl.storage.BlobStore;
import io.geoetl.workflow.AllowedPlaces;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Asset hrefs as readers get them: signed links let a client without credentials read a private
 * container for a limited time; links to the API name the asset, not the blob; either way only the input
 * containers and silver are handed out.
 */
class AssetHrefsIT extends IntegrationTest {

    @Autowired
    AllowedPlaces places;

    @Autowired
    BlobStore blobs;

    @Autowired
    BlobServiceClient blobService;

    @Test
    @SuppressWarnings("unchecked")
    void signedHrefReadsThePrivateBlobWhileThePlainHrefIsRefused() throws Exception {
        String name = "sas-" + UUID.randomUUID() + "/elev.tif";
        Samples.upload(blobService.getBlobContainerClient("silver"), name, Samples.ELEV);
        String plain = blobs.url("silver", name);

        Map<String, Object> signed = hrefs(AssetLinks.SIGNED).present(Map.of("data", Map.of("href", plain, "type",
                "image/tiff")), "http://api/unused", true);
        String href = (String) ((Map<String, Object>) signed.get("data")).get("href");

        assertThat(href).startsWith(plain + "?").contains("sig=").contains("se=");
        HttpResponse<byte[]> withSas = HTTP.send(HttpRequest.newBuilder(URI.create(href)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> without = HTTP.send(HttpRequest.newBuilder(URI.create(plain)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(withSas.statusCode()).isEqualTo(200);
        assertThat(withSas.body()).isEqualTo(Files.readAllBytes(Samples.ELEV));
        assertThat(without.statusCode()).isIn(401, 403, 404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void onlyHrefsInTheInputContainersAndSilverAreSignedOrServedByTheApi() {
        BlobContainerClient unlisted = blobService.getBlobContainerClient("unlisted-" + UUID.randomUUID()
                .toString().substring(0, 8));
        unlisted.createIfNotExists();
        String name = "sas-" + UUID.randomUUID() + "/elev.tif";
        try {
            Samples.upload(unlisted, name, Samples.ELEV);
            Map<String, Object> assets = new LinkedHashMap<>();
            for (String container : List.of("bronze", "landing", "silver", unlisted.getBlobContainerName())) {
                assets.put(container, Map.of("href", blobs.url(container, name)));
            }

            Map<String, Object> signed = hrefs(AssetLinks.SIGNED).present(assets, "http://api/unused", true);
            Map<String, Object> served = hrefs(AssetLinks.API).present(assets, "http://api/c/items/i/assets", true);
            Map<String, Object> stored = hrefs(AssetLinks.STORED).present(assets, "http://api/c/items/i/assets",
                    true);
            // A reader without the API key (when one is set) gets no signed link: it would read the bytes.
            Map<String, Object> keyless = hrefs(AssetLinks.SIGNED).present(assets, "http://api/unused", false);

            for (String container : List.of("bronze", "landing", "silver")) {
                assertThat((String) ((Map<String, Object>) signed.get(container)).get("href")).as(container)
                        .startsWith(blobs.url(container, name) + "?").contains("sig=");
                assertThat((String) ((Map<String, Object>) served.get(container)).get("href")).as(container)
                        .isEqualTo("http://api/c/items/i/assets/" + container);
                assertThat((String) ((Map<String, Object>) stored.get(container)).get("href")).as(container)
                        .isEqualTo(blobs.url(container, name));
                assertThat((String) ((Map<String, Object>) keyless.get(container)).get("href")).as(container)
                        .isEqualTo(blobs.url(container, name));
            }
            for (Map<String, Object> presented : List.of(signed, served, stored)) {
                assertThat(((Map<String, Object>) presented.get(unlisted.getBlobContainerName())).get("href"))
                        .isEqualTo(blobs.url(unlisted.getBlobContainerName(), name));
            }
        } finally {
            unlisted.deleteIfExists();
        }
    }

    private AssetHrefs hrefs(AssetLinks links) {
        return new AssetHrefs(blobs, new StacProperties(null, links, false, Duration.ofHours(1)), places);
    }
}
