package io.geoetl.gdal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import io.geoetl.catalog.Samples;

/**
 * Files whose content points GDAL at a URL, each the way an attacker would write it. Each is made for
 * one case name, and every URL it holds carries that name, so a fetch says which file and job made it.
 */
final class HostileFiles {

    /** The file names (each case's blob name ends in one of these) and the format each opens as. */
    static final Map<String, String> RASTER_CASES = Map.of(
            "vrt-saved-as.tif", "a VRT with /vsicurl/ sources saved under a GeoTIFF's extension",
            "overview-url.tif", "a real GeoTIFF whose .aux.xml names a /vsicurl/ overview file");
    static final Map<String, String> VECTOR_CASES = Map.of(
            "crs-link.geojson", "a GeoJSON whose crs is a link",
            "network-link.kml", "a KML with a NetworkLink, a remote icon and a remote style",
            "network-link-zipped.kmz", "the same KML zipped as a KMZ",
            "ogr-vrt-saved-as.geojson", "an OGR VRT with a /vsicurl/ source saved as GeoJSON");

    private HostileFiles() {
    }

    /**
     * The blobs of one case: the file itself under {@code name}, and for the overview case its .aux.xml
     * sidecar. {@code url} turns a path into a URL of the listener.
     */
    static Map<String, byte[]> blobs(String name, String caseLabel, Function<String, String> url) {
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        if (name.endsWith("vrt-saved-as.tif")) {
            blobs.put(name, vrt(url.apply(caseLabel + "/vrt-source.tif")).getBytes(StandardCharsets.UTF_8));
        } else if (name.endsWith("overview-url.tif")) {
            blobs.put(name, read(Samples.ELEV));
            blobs.put(name + ".aux.xml", overviewAux(url.apply(caseLabel + "/overview.tif"))
                    .getBytes(StandardCharsets.UTF_8));
        } else if (name.endsWith("crs-link.geojson")) {
            blobs.put(name, crsLink(url.apply(caseLabel + "/crs")).getBytes(StandardCharsets.UTF_8));
        } else if (name.endsWith("network-link.kml")) {
            blobs.put(name, kml(url.apply(caseLabel)).getBytes(StandardCharsets.UTF_8));
        } else if (name.endsWith("network-link-zipped.kmz")) {
            blobs.put(name, zip("doc.kml", kml(url.apply(caseLabel))));
        } else if (name.endsWith("ogr-vrt-saved-as.geojson")) {
            blobs.put(name, ogrVrt(url.apply(caseLabel + "/ogr-vrt-source.geojson")).getBytes(StandardCharsets.UTF_8));
        } else {
            throw new IllegalArgumentException("no hostile file named " + name);
        }
        return blobs;
    }

    private static String vrt(String source) {
        return "<VRTDataset rasterXSize=\"16\" rasterYSize=\"16\">"
                + "<GeoTransform>0, 1, 0, 16, 0, -1</GeoTransform>"
                + "<VRTRasterBand dataType=\"Byte\" band=\"1\"><SimpleSource>"
                + "<SourceFilename relativeToVRT=\"0\">/vsicurl/" + source + "</SourceFilename>"
                + "<SourceBand>1</SourceBand></SimpleSource></VRTRasterBand></VRTDataset>\n";
    }

    private static String overviewAux(String overview) {
        return "<PAMDataset>\n  <Metadata domain=\"OVERVIEWS\">\n"
                + "    <MDI key=\"OVERVIEW_FILE\">/vsicurl/" + overview + "</MDI>\n  </Metadata>\n"
                + "  <PAMRasterBand band=\"1\"><NoDataValue>42</NoDataValue></PAMRasterBand>\n</PAMDataset>\n";
    }

    private static String crsLink(String href) {
        return "{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"link\", \"properties\": {\"href\": \""
                + href + "\", \"type\": \"proj4\"}}, \"features\": [{\"type\": \"Feature\", \"properties\": "
                + "{\"name\": \"a\"}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2]}}]}\n";
    }

    private static String kml(String base) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n"
                + "<Document>\n"
                + "  <Style id=\"s\"><IconStyle><Icon><href>" + base + "/icon.png</href></Icon></IconStyle></Style>\n"
                + "  <NetworkLink><name>remote</name><Link><href>" + base + "/network-link.kml</href></Link>"
                + "</NetworkLink>\n"
                + "  <Placemark><name>p</name><styleUrl>" + base + "/style.kml#remote</styleUrl>"
                + "<Point><coordinates>1,2</coordinates></Point></Placemark>\n"
                + "</Document>\n</kml>\n";
    }

    private static String ogrVrt(String source) {
        return "<OGRVRTDataSource><OGRVRTLayer name=\"remote\"><SrcDataSource>/vsicurl/" + source
                + "</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>\n";
    }

    private static byte[] zip(String entry, String content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
