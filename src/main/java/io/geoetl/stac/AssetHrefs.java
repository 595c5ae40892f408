package io.geoetl.stac;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import io.geoetl.config.StacProperties;
import io.geoetl.storage.BlobStore;
import io.geoetl.workflow.AllowedPlaces;
import org.springframework.stereotype.Component;

/**
 * Asset hrefs as a catalog reader gets them. Documents store each asset's own blob URL, so the registry
 * and unpublish keep working whatever readers are given; the href is built when an item is served:
 * a link to the API, which streams the blob ({@link StacAssets}), a signed (SAS) link, or the URL as
 * stored ({@link StacProperties.AssetLinks}).
 *
 * <p>Only blobs in the containers geoetl was configured for (the input containers and silver) are
 * served or signed. An href into any other container of the account is served as stored: the account
 * key signs for every container, so streaming or signing it would hand out read access to data geoetl
 * was never given; left in place (not dropped), the item still says truthfully where its asset is.
 */
@Component
class AssetHrefs {

    /** A blob geoetl may hand out. */
    record BlobLocation(String container, String name) {
    }

    private final BlobStore blobs;
    private final StacProperties properties;
    private final AllowedPlaces places;

    AssetHrefs(BlobStore blobs, StacProperties properties, AllowedPlaces places) {
        this.blobs = blobs;
        this.properties = properties;
        this.places = places;
    }

    /**
     * The assets with hrefs for readers; {@code assetsUrl} is the API's URL of this document's assets.
     * Signed links read bytes without asking the API, so they go only to a reader who {@code mayReadBytes}
     * (with an API key set: who presented it); others get the stored URL, unsigned.
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> present(Map<?, ?> assets, String assetsUrl, boolean mayReadBytes) {
        OffsetDateTime expiry = OffsetDateTime.now().plus(properties.sasValidity());
        Map<String, Object> presented = new LinkedHashMap<>();
        assets.forEach((key, value) -> {
            Map<String, Object> asset = new LinkedHashMap<>((Map<String, Object>) value);
            BlobLocation location = locate(asset);
            if (location != null) {
                switch (properties.assetLinks()) {
                    case API -> asset.put("href", assetsUrl + "/" + URLEncoder.encode((String) key,
                            StandardCharsets.UTF_8).replace("+", "%20"));
                    case SIGNED -> {
                        if (mayReadBytes) {
                            asset.put("href", blobs.signedUrl(location.container(), location.name(), expiry));
                        }
                    }
                    case STORED -> {
                    }
                }
            }
            presented.put((String) key, asset);
        });
        return presented;
    }

    /** The blob an asset stores, when it is one geoetl may hand out; null otherwise. */
    BlobLocation locate(Map<?, ?> asset) {
        if (!(asset.get("href") instanceof String href)) {
            return null;
        }
        String[] location = blobs.parseUrl(href);
        if (location == null || !places.signable(location[0]) || location[1].isEmpty()) {
            return null;
        }
        return new BlobLocation(location[0], location[1]);
    }
}
