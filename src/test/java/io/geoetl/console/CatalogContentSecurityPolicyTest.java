package io.geoetl.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.geoetl.config.ConsoleProperties;
import org.junit.jupiter.api.Test;

/** The console's policy: geoetl only, plus the online base map's origin for images when one is configured. */
class CatalogContentSecurityPolicyTest {

    @Test
    void withoutTilesImagesComeFromGeoetlDataAndBlobUrlsOnly() {
        String policy = ContentSecurityPolicyFilter.policy(new ConsoleProperties("", ""));
        assertThat(policy).contains("default-src 'self'").contains("script-src 'self';")
                .contains("img-src 'self' data: blob:;").contains("connect-src 'self'").contains("object-src 'none'")
                .doesNotContain("http");
    }

    @Test
    void theTilesOriginIsAddedToImagesAndNowhereElse() {
        String policy = ContentSecurityPolicyFilter.policy(
                new ConsoleProperties("https://{s}.tiles.example.org/base/{z}/{x}/{y}.png", "Example"));
        assertThat(policy).contains("img-src 'self' data: blob: https://*.tiles.example.org;")
                .contains("connect-src 'self';").contains("script-src 'self';");
        assertThat(policy.indexOf("tiles.example.org")).isEqualTo(policy.lastIndexOf("tiles.example.org"));
    }
}
