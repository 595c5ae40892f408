package io.geoetl.raster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import io.geoetl.config.RasterProperties;
import io.geoetl.error.BadRequestException;
import io.geoetl.error.PermanentTaskException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

class RasterLimitsTest {

    private static RasterProperties limits(long maxPixels, int maxTiles, int minTilePixels) {
        return new RasterProperties(2_000_000_000L, 1_000_000_000L, Duration.ofHours(2), maxPixels, maxTiles,
                minTilePixels);
    }

    /** The limits application.yaml ships (environment variables would override them, as in production). */
    private static RasterProperties shippedDefaults() throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml"))
                .forEach(environment.getPropertySources()::addLast);
        return Binder.get(environment).bind("geoetl.raster", RasterProperties.class).get();
    }

    @Test
    void countsTilesArithmeticallyWithPartialTilesAtTheEdges() {
        assertThat(RasterLimits.tileCount(73, 108, 32)).isEqualTo(12);
        assertThat(RasterLimits.tileCount(1000, 1000, 256)).isEqualTo(16);
        assertThat(RasterLimits.tileCount(256, 256, 256)).isEqualTo(1);
        assertThat(RasterLimits.tileCount(Integer.MAX_VALUE, Integer.MAX_VALUE, 1))
                .isEqualTo((long) Integer.MAX_VALUE * Integer.MAX_VALUE);
        assertThat(RasterPlanner.tiles(73, 108, 32)).hasSize((int) RasterLimits.tileCount(73, 108, 32));
    }

    @Test
    void refusesASixMillionTilePlanBeforeListingATile() {
        RasterProperties limits = limits(10_000_000_000L, 10_000, 16);
        Map<String, Object> job = Map.of("tile_size_pixels", 32);

        // 80000 x 80000 pixels (6.4 billion, under the pixel limit) in 32-pixel tiles: 2500 x 2500 tiles.
        assertThatCode(() -> RasterLimits.checkPixels("the source", 80_000, 80_000, limits)).doesNotThrowAnyException();
        assertThatThrownBy(() -> RasterLimits.checkTiles(job, 80_000, 80_000, 32, limits))
                .isInstanceOfSatisfying(PermanentTaskException.class, e -> {
                    assertThat(e.code()).isEqualTo("too_many_tiles");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.details()).containsEntry("tiles", 6_250_000L).containsEntry("limit", 10_000);
                })
                .hasMessageContaining("6250000 tiles (2500 x 2500)").hasMessageContaining("10000 allowed")
                .hasMessageContaining("GEOETL_MAX_TILES").hasMessageContaining("tile_size_pixels");
    }

    @Test
    void aTileCountFromTheConfiguredTileSizeNamesThatSetting() {
        RasterProperties limits = limits(10_000_000_000L, 4, 256);

        assertThatThrownBy(() -> RasterLimits.checkTiles(Map.of(), 1000, 1000, 256, limits))
                .hasMessageContaining("GEOETL_TILE_SIZE_BYTES").hasMessageContaining("GEOETL_MAX_TILES");
    }

    @Test
    void refusesAGridWithMorePixelsThanAllowedNamingTheSetting() {
        RasterProperties limits = limits(4_000_000, 64, 32);

        assertThatCode(() -> RasterLimits.checkPixels("the source", 2000, 2000, limits)).doesNotThrowAnyException();
        assertThatThrownBy(() -> RasterLimits.checkPixels("the output grid in EPSG:4326", 2100, 2000, limits))
                .isInstanceOfSatisfying(PermanentTaskException.class,
                        e -> assertThat(e.code()).isEqualTo("raster_too_large"))
                .hasMessageContaining("the output grid in EPSG:4326 has 4200000 pixels (2100 x 2000)")
                .hasMessageContaining("GEOETL_MAX_RASTER_PIXELS");
    }

    @Test
    void aTileSideBelowTheMinimumIsA400AtSubmitAndAPermanentFailureAtPlan() {
        RasterProperties limits = limits(10_000_000_000L, 10_000, 256);
        Map<String, Object> job = Map.of("tile_size_pixels", 16);

        assertThatThrownBy(() -> RasterLimits.checkTileSideParameter(job, limits))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.details()).containsEntry("field", "tile_size_pixels");
                })
                .hasMessageContaining("256").hasMessageContaining("GEOETL_MIN_TILE_PIXELS");
        assertThatThrownBy(() -> RasterLimits.tileSide(job, limits, 1, "Byte"))
                .isInstanceOf(PermanentTaskException.class).hasMessageContaining("GEOETL_MIN_TILE_PIXELS");
        assertThat(RasterLimits.tileSide(Map.of("tile_size_pixels", 512), limits, 1, "Byte")).isEqualTo(512);
    }

    @Test
    void theSideDerivedFromTheTileSizeInBytesIsNeverBelowTheMinimum() {
        RasterProperties tinyTiles = new RasterProperties(1, 1000, Duration.ofHours(2), 10_000_000_000L, 10_000, 1024);

        assertThat(RasterLimits.tileSide(Map.of(), tinyTiles, 1, "Byte")).isEqualTo(1024);
    }

    @Test
    void theShippedDefaultsKeepTheBenchmarkRasterWorking() throws Exception {
        RasterProperties defaults = shippedDefaults();
        // bench/raster: 20000 x 18000 Int16, one COG and a tiled run (default tiles, and BENCH_TILE_PIXELS 10240).
        int side = RasterLimits.tileSide(Map.of(), defaults, 1, "Int16");

        assertThat(defaults.minTilePixels()).isEqualTo(256);
        assertThatCode(() -> {
            RasterLimits.checkPixels("the source", 20_000, 18_000, defaults);
            RasterLimits.checkTiles(Map.of(), 20_000, 18_000, side, defaults);
            RasterLimits.checkTiles(Map.of("tile_size_pixels", 10_240), 20_000, 18_000, 10_240, defaults);
            // The same raster in the smallest tiles allowed.
            RasterLimits.checkTiles(Map.of("tile_size_pixels", 256), 20_000, 18_000, 256, defaults);
        }).doesNotThrowAnyException();
    }
}
