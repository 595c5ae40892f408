package io.geoetl.raster;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Writes the VRT mosaic of a tiled raster. The tiles lie on one aligned grid, so each is a plain
 * SimpleSource placed at its pixel offset; paths are relative to the VRT, which sits next to them.
 */
final class MosaicVrt {

    private MosaicVrt() {
    }

    static String xml(Map<String, Object> plan) {
        return xml(plan, null);
    }

    /**
     * The mosaic with its tiles named by an absolute folder (GDAL's {@code /vsiaz/} path of the run's
     * files), for reading it where the tiles are not beside it: the mosaic thumbnail. Null: relative.
     */
    @SuppressWarnings("unchecked")
    static String xml(Map<String, Object> plan, String tileFolder) {
        Map<String, Object> grid = (Map<String, Object>) plan.get("grid");
        List<Number> gt = (List<Number>) grid.get("geotransform");
        int bands = ((Number) plan.get("bands")).intValue();
        StringBuilder xml = new StringBuilder();
        xml.append("<VRTDataset rasterXSize=\"").append(grid.get("width")).append("\" rasterYSize=\"")
                .append(grid.get("height")).append("\">\n");
        if (grid.get("wkt") != null) {
            xml.append("  <SRS");
            if (grid.get("axis_mapping") instanceof List<?> mapping) {
                xml.append(" dataAxisToSRSAxisMapping=\"").append(join(mapping)).append("\"");
            }
            xml.append(">").append(escape((String) grid.get("wkt"))).append("</SRS>\n");
        }
        xml.append("  <GeoTransform>").append(join(gt)).append("</GeoTransform>\n");
        for (int band = 1; band <= bands; band++) {
            xml.append("  <VRTRasterBand dataType=\"").append(plan.get("data_type")).append("\" band=\"").append(band)
                    .append("\">\n");
            if (plan.get("nodata") != null) {
                xml.append("    <NoDataValue>").append(plan.get("nodata")).append("</NoDataValue>\n");
            }
            for (Map<String, Object> tile : (List<Map<String, Object>>) plan.get("tiles")) {
                xml.append("    <SimpleSource>\n      <SourceFilename relativeToVRT=\"").append(tileFolder == null
                        ? "1\">" : "0\">" + escape(tileFolder) + "/").append(tile.get("key"))
                        .append(".tif</SourceFilename>\n      <SourceBand>").append(band).append("</SourceBand>\n")
                        .append("      <SrcRect xOff=\"0\" yOff=\"0\" xSize=\"").append(tile.get("width"))
                        .append("\" ySize=\"").append(tile.get("height")).append("\"/>\n")
                        .append("      <DstRect xOff=\"").append(tile.get("x")).append("\" yOff=\"")
                        .append(tile.get("y")).append("\" xSize=\"").append(tile.get("width")).append("\" ySize=\"")
                        .append(tile.get("height")).append("\"/>\n    </SimpleSource>\n");
            }
            xml.append("  </VRTRasterBand>\n");
        }
        return xml.append("</VRTDataset>\n").toString();
    }

    private static String join(List<?> values) {
        return String.join(",", values.stream().map(value -> value instanceof Number n
                ? BigDecimal.valueOf(n.doubleValue()).toPlainString() : String.valueOf(value)).toList());
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
