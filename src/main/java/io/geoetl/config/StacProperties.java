package io.geoetl.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The STAC catalog and API.
 *
 * @param publicUrl   base URL clients reach the API at (links); empty: taken from each request's Host
 * @param assetLinks  what asset hrefs point at when served (see {@link AssetLinks}); unset: {@code api},
 *                    or {@code signed} where the older switch {@code signAssets} is on
 * @param signAssets  the older switch for signed links, kept so existing deployments keep their links
 * @param sasValidity how long a signed asset link stays valid
 */
@ConfigurationProperties(prefix = "geoetl.stac")
public record StacProperties(String publicUrl, AssetLinks assetLinks, boolean signAssets, Duration sasValidity) {

    /** Where a catalog reader is sent for an asset's bytes. */
    public enum AssetLinks {
        /** to the API, which streams the blob (HEAD, one Range per GET); works where the reader reaches the API */
        API,
        /** straight to the blob, with a time-limited read-only SAS: readers need no route to the API */
        SIGNED,
        /** the blob's URL as stored, unsigned: for a container readers can reach with their own access */
        STORED
    }

    public StacProperties {
        if (assetLinks == null) {
            assetLinks = signAssets ? AssetLinks.SIGNED : AssetLinks.API;
        }
    }

    /**
     * The root URL clients reach the API at, for the links of the STAC and features documents: the
     * configured public URL, else the request's Host header.
     */
    public String publicRoot(String host) {
        if (publicUrl != null && !publicUrl.isBlank()) {
            return publicUrl.replaceAll("/+$", "");
        }
        return "http://" + (host == null || host.isBlank() ? "localhost" : host);
    }
}
