package io.geoetl.raster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the raster tests compare outputs by, through GDAL's own command-line tools: pixel checksums,
 * the grid, and GDAL's COG validator. Shared by the in-JVM raster tests and the process tests, which
 * have no Spring context (and so no {@link io.geoetl.gdal.Gdal} bean).
 */
public final class RasterChecks {

    private RasterChecks() {
    }

    /** Full-resolution checksums of every band, as gdalinfo -checksum prints them. */
    public static List<String> checksums(Path file) throws Exception {
        return checksums(file.toString());
    }

    /** The same for any dataset name GDAL opens: a /vsicurl/ URL, a STACIT: query. */
    public static List<String> checksums(String dataset) throws Exception {
        return gdalinfoLines(dataset, "-checksum").stream().filter(line -> line.contains("Checksum=")).toList();
    }

    /** Size, pixel size and origin, as gdalinfo prints them. */
    public static List<String> size(Path file) throws Exception {
        return size(file.toString());
    }

    /** The same for any dataset name GDAL opens. */
    public static List<String> size(String dataset) throws Exception {
        return gdalinfoLines(dataset).stream().filter(line -> line.startsWith("Size is") || line.startsWith("Pixel Size")
                || line.startsWith("Origin")).toList();
    }

    /**
     * The complaints of GDAL's COG validator (the module {@code Gdal.cogProblems} runs in the service);
     * empty when the file is a valid COG.
     */
    public static List<String> cogProblems(Path file) throws Exception {
        Process validator = start(List.of("/usr/bin/python3", "-m",
                "osgeo_utils.samples.validate_cloud_optimized_geotiff", file.toString()));
        List<String> output = output(validator);
        return validator.exitValue() == 0 ? List.of() : output.stream().filter(line -> !line.isBlank()).toList();
    }

    /**
     * Every pixel of every band, as raw bytes in band order (gdal_translate to ENVI): two datasets with the
     * same bytes here and the same {@link #size} have the same pixels, not just the same checksums.
     */
    public static byte[] pixels(String dataset, String... options) throws Exception {
        Path folder = Files.createTempDirectory("pixels");
        Path raw = folder.resolve("pixels.img");
        List<String> command = new ArrayList<>(List.of("gdal_translate", "-q", "-of", "ENVI"));
        command.addAll(List.of(options));
        command.addAll(List.of(dataset, raw.toString()));
        Process translate = start(command);
        List<String> output = output(translate);
        assertThat(translate.exitValue()).as(String.join("\n", output)).isZero();
        try {
            return Files.readAllBytes(raw);
        } finally {
            try (var files = Files.list(folder)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(folder);
        }
    }

    private static List<String> gdalinfoLines(String dataset, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("gdalinfo"));
        command.addAll(List.of(options));
        command.add(dataset);
        Process gdalinfo = start(command);
        List<String> output = output(gdalinfo);
        // A file gdalinfo cannot open has no checksums: two such files must not compare equal.
        assertThat(gdalinfo.exitValue()).as(String.join("\n", output)).isZero();
        return output;
    }

    private static Process start(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // A catalog client knows only URLs: no storage credentials reach GDAL from the test's environment.
        builder.environment().keySet().removeIf(name -> name.startsWith("AZURE_"));
        return builder.start();
    }

    /** The stripped output lines of a process, once it has exited. */
    private static List<String> output(Process process) throws Exception {
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        return output.lines().map(String::strip).toList();
    }
}
