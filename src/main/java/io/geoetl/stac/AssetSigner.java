package io.geoetl.stac;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import io.geoetl.config.StacProperties;
import io.geoetl.storage.BlobStore;
import io.geoetl.workflow.AllowedPlaces;
import org.springframework.stereotype.Component;

/**
 * Replaces blob hrefs of assets with time-limited signed (SAS) links when the API serves them, for the
 * containers geoetl was configured for only (the input containers and silver). An href into any other
 * container of the account is served as stored, unsigned: the account key signs for every container, so
 * signing it would hand out read access to data geoetl was never given; left in place (not dropped), the
 * item still says truthfully where its asset is, and a reader with their own access can follow it.
 */
@Component
class AssetSigner {

    private final BlobStore blobs;
    private final StacProperties properties;
    private final AllowedPlaces places;

    AssetSigner(BlobStore blobs, StacProperties properties, AllowedPlaces places) {
        this.blobs = blobs;
        this.properties = properties;
        this.places = places;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> sign(Map<?, ?> assets) {
        OffsetDateTime expiry = OffsetDateTime.now().plus(properties.sasValidity());
        Map<String, Object> signed = new LinkedHashMap<>();
        assets.forEach((key, value) -> {
            Map<String, Object> asset = new LinkedHashMap<>((Map<String, Object>) value);
            String[] location = blobs.parseUrl((String) asset.get("href"));
            if (location != null && places.signable(location[0])) {
                asset.put("href", blobs.signedUrl(location[0], location[1], expiry));
            }
            signed.put((String) key, asset);
        });
        return signed;
    }
}
