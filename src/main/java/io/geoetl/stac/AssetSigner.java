package io.geoetl.stac;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import io.geoetl.config.StacProperties;
import io.geoetl.storage.BlobStore;
import org.springframework.stereotype.Component;

/** Replaces blob hrefs of assets with time-limited signed (SAS) links when the API serves them. */
@Component
class AssetSigner {

    private final BlobStore blobs;
    private final StacProperties properties;

    AssetSigner(BlobStore blobs, StacProperties properties) {
        this.blobs = blobs;
        this.properties = properties;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> sign(Map<?, ?> assets) {
        OffsetDateTime expiry = OffsetDateTime.now().plus(properties.sasValidity());
        Map<String, Object> signed = new LinkedHashMap<>();
        assets.forEach((key, value) -> {
            Map<String, Object> asset = new LinkedHashMap<>((Map<String, Object>) value);
            String[] location = blobs.parseUrl((String) asset.get("href"));
            if (location != null) {
                asset.put("href", blobs.signedUrl(location[0], location[1], expiry));
            }
            signed.put((String) key, asset);
        });
        return signed;
    }
}
