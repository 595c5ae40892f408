package io.geoetl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConsolePropertiesTest {

    @Test
    void noTileUrlMeansNoTilesAndNoOrigin() {
        ConsoleProperties none = new ConsoleProperties(null, null);
        assertThat(none.hasTiles()).isFalse();
        assertThat(none.tileOrigin()).isNull();
        assertThat(new ConsoleProperties("  ", "").hasTiles()).isFalse();
    }

    @Test
    void theOriginIsTheTemplatesSchemeHostAndPort() {
        assertThat(new ConsoleProperties("https://tile.example.org/{z}/{x}/{y}.png", "(c) Example").tileOrigin())
                .isEqualTo("https://tile.example.org");
        assertThat(new ConsoleProperties("http://Tiles.Example.org:8081/base/{z}/{x}/{y}.png", "").tileOrigin())
                .isEqualTo("http://tiles.example.org:8081");
        assertThat(new ConsoleProperties("https://{s}.tile.example.org/{z}/{x}/{y}.png", "").tileOrigin())
                .isEqualTo("https://*.tile.example.org");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tile.example.org/{z}/{x}/{y}.png", "ftp://tile.example.org/{z}/{x}/{y}.png",
            "javascript:alert(1)//{z}/{x}/{y}", "https://tile.example.org/{z}/{x}.png",
            "https://tile.example.org/{z}/{x}/{y}.png; script-src *", "https://a.{s}.example.org/{z}/{x}/{y}.png",
            "https://tile.example.org 'unsafe-inline'/{z}/{x}/{y}", "data:image/png;base64,{z}{x}{y}"})
    void aTileUrlThatIsNotAnHttpTemplateStopsTheStart(String url) {
        assertThatThrownBy(() -> new ConsoleProperties(url, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GEOETL_CONSOLE_TILE_URL");
    }
}
