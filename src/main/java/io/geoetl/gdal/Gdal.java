package io.geoetl.gdal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.azure.storage.blob.BlobServiceClient;
import io.geoetl.config.StorageProperties;
import io.geoetl.error.GeoetlException;
import io.geoetl.error.PermanentTaskException;
import io.geoetl.metrics.GeoetlMetrics;
import io.geoetl.orchestration.Json;
import io.geoetl.scratch.ScratchSpace;
import org.springframework.stereotype.Component;

/**
 * The one class that runs GDAL's programs. Inputs are local work files only (never a user-given
 * string), and every open names its allowed drivers, so a VRT saved as .tif or a file that points
 * at /vsicurl/ is refused rather than followed.
 */
@Component
public class Gdal {

    /**
     * Raster formats geoetl reads. VRT, HFA (an .img names its spill and overview files, even with
     * "../") and other formats that reference further files are not among them.
     */
    public static final List<String> RASTER_DRIVERS = List.of("GTiff", "PNG", "JPEG", "JP2OpenJPEG", "AAIGrid");
    /**
     * The formats read in place through /vsiaz/, where the source's neighbours in the container are
     * someone else's files: GTiff is the one driver that looks at nothing beside the file when the folder
     * listing is empty (measured: JP2OpenJPEG still probes .ovr, .msk and .aux, AAIGrid its .prj). Other
     * formats are downloaded alone into a private folder first.
     */
    public static final List<String> IN_PLACE_RASTER_DRIVERS = List.of("GTiff");
    /** Vector formats geoetl reads. */
    public static final List<String> VECTOR_DRIVERS = List.of("GeoJSON", "GeoJSONSeq", "ESRI Shapefile", "GPKG",
            "CSV", "KML", "LIBKML", "FlatGeobuf");

    private static final Pattern READ_DAMAGE = Pattern.compile(
            "(?i)IO error|TIFFRead|IReadBlock|Read error|truncated|corrupt");
    private static final Duration INFO_TIMEOUT = Duration.ofMinutes(10);
    /** Debian's python3 has the osgeo bindings; a python3 earlier on PATH may not. */
    private static final String PYTHON = "/usr/bin/python3";

    private volatile Path ogrInfoScript;
    /** The whole environment of every GDAL process: storage credentials, no network but the blob store (GdalEnvironment). */
    private final Map<String, String> environment;

    private final GeoetlMetrics metrics;

    public Gdal(StorageProperties storage, BlobServiceClient blobService, GeoetlMetrics metrics) {
        this.environment = GdalEnvironment.of(System.getenv(), storage.connectionString(), blobService.getAccountUrl());
        this.metrics = metrics;
    }

    /** Runs a GDAL program or helper and records its duration under its step name. */
    private ProcessRunner.Result run(List<String> command, Duration timeout) throws InterruptedException {
        long started = System.nanoTime();
        boolean succeeded = false;
        try {
            ProcessRunner.Result result = ProcessRunner.run(command, environment, timeout);
            succeeded = result.exitCode() == 0;
            return result;
        } finally {
            metrics.gdalStep(step(command), succeeded, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** gdalinfo, gdalwarp, ...; for Python helpers the script (ogr_info) or module (validate_...) name. */
    static String step(List<String> command) {
        if (!command.get(0).equals(PYTHON)) {
            return command.get(0);
        }
        if (command.get(1).equals("-m")) {
            return command.get(2).substring(command.get(2).lastIndexOf('.') + 1);
        }
        // Extracted scripts are named geoetl-<random>-<script>.py.
        String file = Path.of(command.get(1)).getFileName().toString().replaceFirst("\\.py$", "");
        return file.substring(file.lastIndexOf('-') + 1);
    }

    /** {@code gdalinfo -json -stats} of a local raster file, opened only by the raster allow-list. */
    public Map<String, Object> rasterInfo(Path file) throws InterruptedException {
        return rasterInfo(file.toString(), true, RASTER_DRIVERS);
    }

    /** Header-only {@code gdalinfo -json} of a local raster file (raster allow-list). */
    public Map<String, Object> rasterHeader(Path file) throws InterruptedException {
        return rasterInfo(file.toString(), false, RASTER_DRIVERS);
    }

    /**
     * Header-only {@code gdalinfo -json} of a GeoTIFF blob read in place through GDAL's /vsiaz/ (range
     * requests: a multi-GB source is not downloaded to be validated); empty when the blob is not a
     * GeoTIFF (see {@link #IN_PLACE_RASTER_DRIVERS}: download it and read the copy). Container and blob
     * name must already be validated (BlobNames); the connection string travels in the environment.
     */
    public Optional<Map<String, Object>> blobRasterInfo(String container, String blobName)
            throws InterruptedException {
        try {
            return Optional.of(rasterInfo(vsiaz(container, blobName), false, IN_PLACE_RASTER_DRIVERS));
        } catch (PermanentTaskException notGeoTiff) {
            if (notGeoTiff.getMessage().contains("not recognized as a supported file format")) {
                return Optional.empty();
            }
            throw notGeoTiff;
        }
    }

    /** GDAL's path of a blob; both names must already be validated (BlobNames). */
    public static String vsiaz(String container, String blobName) {
        return "/vsiaz/" + container + "/" + blobName;
    }

    private Map<String, Object> rasterInfo(String source, boolean statistics, List<String> drivers)
            throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("gdalinfo", "-json"));
        if (statistics) {
            command.add("-stats");
        }
        for (String driver : drivers) {
            command.addAll(List.of("-if", driver));
        }
        command.add(source);
        ProcessRunner.Result result = run(command, INFO_TIMEOUT);
        if (result.exitCode() != 0) {
            throw new PermanentTaskException("unreadable_raster", "not a readable raster (" + String.join(", ",
                    RASTER_DRIVERS) + "): " + firstLine(result.stderr()));
        }
        // A truncated or corrupt file may still open (exit code 0) with only I/O warnings on stderr.
        Matcher damage = READ_DAMAGE.matcher(result.stderr());
        if (damage.find()) {
            throw new PermanentTaskException("corrupt_raster", "the raster is truncated or corrupt: "
                    + withoutScratchFolders(result.stderr()).lines().filter(line -> READ_DAMAGE.matcher(line).find())
                            .findFirst().orElse(damage.group()).replaceFirst("^(Warning|ERROR) \\d+: ", ""));
        }
        return Json.readMap(result.stdout());
    }

    /** Layers, feature counts, CRS and WGS84 extents of a local vector file (vector allow-list). */
    public Map<String, Object> vectorInfo(Path file) throws InterruptedException {
        ProcessRunner.Result result = run(List.of(PYTHON, ogrInfoScript().toString(), file.toString(),
                String.join(",", VECTOR_DRIVERS)), INFO_TIMEOUT);
        if (result.exitCode() != 0) {
            throw new PermanentTaskException("unreadable_vector", firstLine(result.stderr()));
        }
        return Json.readMap(result.stdout());
    }

    /**
     * Runs a GDAL program whose inputs and outputs are local work files; a non-zero exit is a
     * permanent error (bad input) carrying GDAL's own message.
     */
    public void run(String what, List<String> command, Duration timeout) throws InterruptedException {
        ProcessRunner.Result result = run(command, timeout);
        if (result.exitCode() != 0) {
            throw new PermanentTaskException(what + "_failed", what + " failed: " + firstLine(result.stderr()));
        }
        if (READ_DAMAGE.matcher(result.stderr()).find()) {
            throw new PermanentTaskException("corrupt_raster", what + " hit unreadable data (truncated or "
                    + "corrupt input): " + firstLine(result.stderr()));
        }
    }

    /** GDAL's own COG validator; returns its complaints (empty when the file is a valid COG). */
    public List<String> cogProblems(Path file) throws InterruptedException {
        ProcessRunner.Result result = run(List.of(PYTHON, "-m",
                "osgeo_utils.samples.validate_cloud_optimized_geotiff", file.toString()), INFO_TIMEOUT);
        if (result.exitCode() == 0) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (String line : (result.stdout() + "\n" + result.stderr()).split("\n")) {
            if (!line.isBlank()) {
                problems.add(line.strip());
            }
        }
        return problems;
    }

    /**
     * {@code gdalinfo -json} of a file geoetl itself wrote (a COG, a VRT): no driver restriction needed.
     * Statistics are approximate (from overviews): exact ones would read every pixel again.
     */
    public Map<String, Object> ownFileInfo(Path file, boolean statistics) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("gdalinfo", "-json"));
        if (statistics) {
            command.add("-approx_stats");
        }
        command.add(file.toString());
        ProcessRunner.Result result = run(command, INFO_TIMEOUT);
        if (result.exitCode() != 0) {
            throw new PermanentTaskException("gdalinfo_failed", "gdalinfo failed: " + firstLine(result.stderr()));
        }
        return Json.readMap(result.stdout());
    }

    /**
     * {@code gdalinfo -json -stats -hist} of a small file geoetl itself wrote (a raster's sample, see
     * RasterPreview): exact statistics, valid percentage and a 256-bucket histogram per band.
     */
    public Map<String, Object> ownFileHistograms(Path file) throws InterruptedException {
        ProcessRunner.Result result = run(List.of("gdalinfo", "-json", "-stats", "-hist", file.toString()),
                INFO_TIMEOUT);
        if (result.exitCode() != 0) {
            throw new PermanentTaskException("gdalinfo_failed", "gdalinfo failed: " + firstLine(result.stderr()));
        }
        return Json.readMap(result.stdout());
    }

    /**
     * Translates a local vector file with the vector allow-list (see vector_prepare.py): GDAL's
     * PGDump of the layer streams to {@code rows} as it is written, the layer's report lands in
     * {@code report}. Bad input is a permanent error with GDAL's message, even when the reader failed
     * first on the truncated output; otherwise a reader's failure is rethrown as it was.
     */
    // GDAL's Python bindings route /vsistdout/ through a Python callback, one call per row (1 M rows took
    // 5 s of system time); a plain file path to the pipe keeps C stdio buffering.
    private static final String STDOUT_AS_FILE = "/proc/self/fd/1";

    public <T> T translateVector(Path source, Path report, String optionsJson, Duration timeout,
            ProcessRunner.OutputReader<T> rows) throws InterruptedException {
        long started = System.nanoTime();
        ProcessRunner.Streamed<T> result = ProcessRunner.stream(List.of(PYTHON, script("/gdal/vector_prepare.py")
                .toString(), source.toString(), STDOUT_AS_FILE, report.toString(), optionsJson), environment,
                timeout, rows);
        metrics.gdalStep("vector_prepare", result.exitCode() == 0 && result.readFailure() == null,
                Duration.ofNanos(System.nanoTime() - started));
        if (result.exitCode() != 0 && !(result.readFailure() instanceof GeoetlException)) {
            // The scratch folder means nothing to the user: GDAL's message names the file only.
            throw new PermanentTaskException("invalid_vector", firstLine(result.stderr()).replace(source.toString(),
                    source.getFileName().toString()));
        }
        if (result.readFailure() instanceof RuntimeException failure) {
            throw failure;
        }
        if (result.readFailure() != null) {
            throw new UncheckedIOException("reading GDAL's output", (IOException) result.readFailure());
        }
        return result.value();
    }

    private final Map<String, Path> scripts = new ConcurrentHashMap<>();

    private Path script(String resource) {
        return scripts.computeIfAbsent(resource, Gdal::extract);
    }

    private Path ogrInfoScript() {
        Path script = ogrInfoScript;
        if (script == null) {
            synchronized (this) {
                if (ogrInfoScript == null) {
                    ogrInfoScript = extract("/gdal/ogr_info.py");
                }
                script = ogrInfoScript;
            }
        }
        return script;
    }

    private static Path extract(String resource) {
        try (InputStream in = Gdal.class.getResourceAsStream(resource)) {
            // In this process's scratch folder (deleted on exit; after a kill, by the next start).
            Path target = ScratchSpace.current().newFile("geoetl-", "-" + Path.of(resource).getFileName());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A task's scratch folder under the temporary directory: meaningless to the user, and internal. */
    private static final Pattern SCRATCH_FOLDER = Pattern.compile(
            Pattern.quote(System.getProperty("java.io.tmpdir").replaceFirst("/$", "")) + "/geoetl-[^\\s'\"`]*/");

    /** GDAL's message with scratch folders taken out of the paths it names (the file name stays). */
    static String withoutScratchFolders(String message) {
        return SCRATCH_FOLDER.matcher(message).replaceAll("");
    }

    static String firstLine(String text) {
        String trimmed = text == null ? "" : withoutScratchFolders(text).strip();
        if (trimmed.contains("Traceback (most recent call last)")) {
            String[] lines = trimmed.split("\n");
            return "GDAL helper failed: " + lines[lines.length - 1].strip();
        }
        for (String line : trimmed.split("\n")) {
            if (line.startsWith("ERROR") || line.contains("not recognized") || line.contains("cannot")) {
                return line.replaceFirst("^ERROR \\d+: ", "");
            }
        }
        return trimmed.isEmpty() ? "no error message" : trimmed.split("\n")[0];
    }
}
