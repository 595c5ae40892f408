package io.geoetl.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RasterPreviewTest {

    @Test
    void fitKeepsProportionsAndNeverEnlarges() {
        assertThat(RasterPreview.fit(2000, 1000, 512)).containsExactly(512, 256);
        assertThat(RasterPreview.fit(600, 400, 512)).containsExactly(512, 341);
        assertThat(RasterPreview.fit(95, 90, 512)).containsExactly(95, 90);
        assertThat(RasterPreview.fit(100000, 10, 512)).containsExactly(512, 1);
    }

    @Test
    void byteDataIsShownUnscaled() {
        assertThat(RasterPreview.stretch(Map.of("type", "Byte", "minimum", 3.0, "maximum", 90.0))).isNull();
    }

    @Test
    void otherTypesStretchBetweenTheSecondAndNinetyEighthPercentile() {
        // 100 buckets over 0..100, one pixel each, and one outlier at 10000 that min..max would stretch to.
        List<Integer> buckets = new ArrayList<>(Collections.nCopies(100, 1));
        Map<String, Object> band = Map.of("type", "Float32", "minimum", 0.0, "maximum", 100.0, "histogram",
                Map.of("count", 100, "min", 0.0, "max", 100.0, "buckets", buckets));

        double[] range = RasterPreview.stretch(band);

        assertThat(range[0]).isEqualTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(range[1]).isEqualTo(98.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aConstantBandOrOneWithoutHistogramFallsBackToMinimumAndMaximum() {
        assertThat(RasterPreview.stretch(Map.of("type", "Int16", "minimum", 5.0, "maximum", 9.0)))
                .containsExactly(5.0, 9.0);
        assertThat(RasterPreview.stretch(Map.of("type", "Int16", "minimum", 5.0, "maximum", 5.0,
                "histogram", Map.of("count", 3, "min", 4.5, "max", 5.5, "buckets", List.of(0, 7, 0)))))
                .containsExactly(5.0, 6.0);
    }

    @Test
    void redGreenBlueAreChosenByColourInterpretationAndAlphaBecomesTransparency() {
        List<Map<String, Object>> bands = List.of(band("Alpha", null), band("Blue", null), band("Green", null),
                band("Red", null));

        assertThat(RasterPreview.displayBands(bands)).containsExactly(4, 3, 2);
        assertThat(RasterPreview.thumbnailBands(bands)).containsExactly("-b", "4", "-b", "3", "-b", "2", "-b",
                "mask,4");
    }

    @Test
    void oneBandIsGreyWithTransparencyWhereNodataIs() {
        Map<String, Object> dem = Map.of("type", "Int16", "colorInterpretation", "Gray", "noDataValue", -32768.0,
                "minimum", 10.0, "maximum", 20.0);

        assertThat(RasterPreview.thumbnailBands(List.of(dem))).containsExactly("-b", "1", "-b", "mask,1",
                "-scale_1", "10.0", "20.0", "0", "255");
    }

    @Test
    void threeUninterpretedBandsAreShownAsTheFirstThree() {
        List<Map<String, Object>> bands = List.of(band("Undefined", null), band("Undefined", null),
                band("Undefined", null), band("Undefined", null));

        assertThat(RasterPreview.thumbnailBands(bands)).containsExactly("-b", "1", "-b", "2", "-b", "3");
        assertThat(RasterPreview.displayBands(List.of(band("Gray", null), band("Alpha", null))))
                .containsExactly(1);
    }

    @Test
    void eoBandsNameTheColoursOfRgbImageryOnly() {
        assertThat(RasterBands.eoBands(List.of(band("Red", null), band("Green", null), band("Blue", null),
                band("Alpha", null)))).containsExactly(Map.of("name", "b1", "common_name", "red"),
                        Map.of("name", "b2", "common_name", "green"), Map.of("name", "b3", "common_name", "blue"),
                        Map.of("name", "b4", "description", "alpha"));
        assertThat(RasterBands.eoBands(List.of(band("Gray", null)))).isEmpty();
    }

    @Test
    void spatialResolutionIsThePixelSizeInCrsUnits() {
        assertThat(RasterBands.spatialResolution(List.of(5.7, 0.0083, 0.0, 50.2, 0.0, -0.0083))).isEqualTo(0.0083,
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(RasterBands.spatialResolution(null)).isNull();
    }

    private static Map<String, Object> band(String interpretation, Object nodata) {
        return nodata == null ? Map.of("type", "Byte", "colorInterpretation", interpretation)
                : Map.of("type", "Byte", "colorInterpretation", interpretation, "noDataValue", nodata);
    }
}
