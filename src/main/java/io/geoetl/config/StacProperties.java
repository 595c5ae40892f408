package io.geoetl.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The STAC catalog and API.
 *
 * @param publicUrl   base URL clients reach the API at (links); empty: taken from each request's Host
 * @param signAssets  hand out time-limited SAS links for asset hrefs (private containers)
 * @param sasValidity how long a signed asset link stays valid
 */
@ConfigurationProperties(prefix = "geoetl.stac")
public record StacProperties(String publicUrl, boolean signAssets, Duration sasValidity) {
}
