package io.geoetl.vector;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.geoetl.catalog.WorkDir;
import io.geoetl.config.StorageProperties;
import io.geoetl.config.VectorProperties;
import io.geoetl.error.PermanentTaskException;
import io.geoetl.gdal.Gdal;
import io.geoetl.orchestration.Json;
import io.geoetl.outputs.OutputRegistry;
import io.geoetl.outputs.OverwriteParameter;
import io.geoetl.outputs.SourceVersion;
import io.geoetl.storage.BlobStore;
import io.geoetl.storage.BlockUploadStream;
import io.geoetl.workflow.StepSeconds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Stage 1 of process_vector: download (and safely unpack) the source, let GDAL translate it in one
 * pass, turn that into the PostGIS-ready intermediate (COPY text) in silver, create the staging
 * table, and plan the chunks.
 */
@Component
class VectorPreparer {

    private static final Duration TIMEOUT = Duration.ofHours(2);
    private static final Logger log = LoggerFactory.getLogger(VectorPreparer.class);

    private final BlobStore blobs;
    private final Gdal gdal;
    private final VectorProperties properties;
    private final StorageProperties storage;
    private final ChunkLoader loader;
    private final OutputRegistry registry;

    VectorPreparer(BlobStore blobs, Gdal gdal, VectorProperties properties, StorageProperties storage,
            ChunkLoader loader, OutputRegistry registry) {
        this.loader = loader;
        this.registry = registry;
        this.blobs = blobs;
        this.gdal = gdal;
        this.properties = properties;
        this.storage = storage;
    }

    Map<String, Object> prepare(String jobId, String runFolder, Map<String, Object> job) throws Exception {
        String blobName = (String) job.get("blob_name");
        StepSeconds seconds = new StepSeconds();
        try (WorkDir work = WorkDir.create()) {
            WorkDir.Downloaded download = work.downloadVersion(blobs, (String) job.get("container"), blobName);
            Path downloaded = download.file();
            SourceVersion version = SourceVersion.of((String) job.get("container"), download.blob());
            // Fail before the work when the table is not this source's to write (decided again at the swap).
            registry.requireAllowed(VectorParameters.target(job), version, OverwriteParameter.requested(job));
            seconds.lap("download");
            if (Files.size(downloaded) == 0) {
                throw new PermanentTaskException("empty_file", "blob '" + blobName + "' is empty");
            }
            Path source = locate(downloaded, work.root().resolve("unpacked"), job);
            Map<String, Object> options = new HashMap<>();
            options.put("drivers", Gdal.VECTOR_DRIVERS);
            options.put("layer", job.get("layer"));
            options.put("open_options", openOptions(source, job));
            options.put("source_crs", job.get("source_crs"));
            options.put("max_feature_bytes", properties.maxFeatureBytes());
            // A folder per run: a resubmit must not rewrite the file the table's item points at.
            String intermediateBlob = "_intermediate/" + runFolder + "/" + job.get("target_table") + ".pgcopy.zst";
            Path layerReport = work.root().resolve("layer.json");
            long chunkSize = ((Number) job.get("chunk_size")).longValue();
            // GDAL's output is rewritten and uploaded as it is produced: translation, rewrite and upload
            // overlap, and the intermediate never lands on local disk.
            CopyIntermediate.Result written;
            BlockUploadStream upload = blobs.openUpload(storage.silverContainer(), intermediateBlob);
            try {
                written = gdal.translateVector(source, layerReport, Json.write(options), TIMEOUT,
                        rows -> CopyIntermediate.write(rows, upload, chunkSize, properties.maxFeatureBytes()));
                upload.close();
            } catch (RuntimeException | InterruptedException | IOException e) {
                upload.abandon();
                upload.close();
                throw featureTooLarge(e);
            }
            seconds.lap("translate_and_upload");
            if (written.features() == 0) {
                blobs.deleteIfExists(storage.silverContainer(), intermediateBlob);
                throw new PermanentTaskException("no_features", "the layer has no feature with a geometry ("
                        + written.sourceFeatures() + " features read)");
            }
            Map<String, Object> report = new LinkedHashMap<>(Json.readMap(Files.readString(layerReport)));
            String etag = blobs.describe(storage.silverContainer(), intermediateBlob).etag();
            loader.createStaging(jobId, written);
            seconds.lap("create_staging");
            log.info("prepared {} features of {} for job {}: {} (seconds)", written.features(), blobName, jobId,
                    seconds);
            report.put("source_features", written.sourceFeatures());
            report.put("missing_geometries", written.missing());
            report.put("features", written.features());
            report.put("geometry_type", written.geometryType());
            report.put("fields", written.columns().stream().map(CopyIntermediate.Column::name).toList());
            report.put("renamed_fields", written.renamed());
            report.put("fid_column", written.fidColumn());
            report.put("copy_columns", written.copyColumns());
            report.put("intermediate_blob", intermediateBlob);
            report.put("intermediate_compression", CopyIntermediate.COMPRESSION);
            report.put("intermediate_row_bytes", written.rowBytes());
            report.put("intermediate_bytes", written.compressedBytes());
            report.put("intermediate_etag", etag);
            report.put("source", version.toMap());
            report.put("step_seconds", seconds.toMap());
            report.put("chunks", written.chunks().stream().map(CopyIntermediate.Chunk::toMap).toList());
            return report;
        }
    }

    /**
     * GDAL's GeoJSON reader refuses a feature too large to parse before geoetl sees it; the helper says so
     * naming geoetl's setting, and the failure gets the same code as geoetl's own refusal.
     */
    private static Exception featureTooLarge(Exception error) {
        if (error instanceof PermanentTaskException permanent && "invalid_vector".equals(permanent.code())
                && permanent.getMessage().contains(FeatureSizeLimit.SETTING)) {
            return new PermanentTaskException("feature_too_large", permanent.getMessage());
        }
        return error;
    }

    /** The file GDAL should open: a zip or kmz is unpacked first and the dataset inside it found. */
    private Path locate(Path downloaded, Path unpacked, Map<String, Object> job) throws IOException {
        String extension = VectorParameters.extension(downloaded.getFileName().toString());
        if (!"zip".equals(extension) && !"kmz".equals(extension)) {
            return reencode(downloaded, job);
        }
        ArchiveExtractor.extract(downloaded, unpacked, properties.maxArchiveEntries(),
                properties.maxUncompressedBytes());
        List<String> preference = "kmz".equals(extension) ? List.of("kml")
                : List.of("shp", "gpkg", "geojson", "json", "kml", "csv");
        try (Stream<Path> files = Files.walk(unpacked)) {
            List<Path> all = files.filter(Files::isRegularFile).filter(path -> !path.getFileName().toString()
                    .startsWith(".")).filter(path -> !path.toString().contains("__MACOSX")).toList();
            String layer = (String) job.get("layer");
            for (String wanted : preference) {
                List<Path> found = all.stream().filter(path -> VectorParameters.extension(path.toString())
                        .equals(wanted)).sorted().toList();
                if (!found.isEmpty()) {
                    // Several shapefiles in one zip: each is a layer named after its file, so `layer` picks one.
                    Optional<Path> named = found.stream().filter(path -> stem(path).equals(layer)).findFirst();
                    return reencode(named.orElse(found.get(0)), job);
                }
            }
        }
        throw new PermanentTaskException("no_dataset_in_archive", "the archive holds no " + String.join(", ",
                preference) + " file" + ("zip".equals(extension) ? " (a zipped shapefile needs its .shp)" : ""));
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    /** GDAL reads CSV as UTF-8: a CSV in another encoding is converted first. */
    private static Path reencode(Path file, Map<String, Object> job) throws IOException {
        String encoding = (String) job.get("encoding");
        if (encoding == null || !"csv".equals(VectorParameters.extension(file.toString()))) {
            return file;
        }
        Charset charset;
        try {
            charset = Charset.forName(encoding);
        } catch (IllegalArgumentException e) {
            throw new PermanentTaskException("unknown_encoding", "encoding '" + encoding + "' is not known");
        }
        Path utf8 = file.resolveSibling("utf8-" + file.getFileName());
        // Streamed: a CSV may be far larger than the heap.
        try (Reader in = Files.newBufferedReader(file, charset);
                Writer out = Files.newBufferedWriter(utf8, StandardCharsets.UTF_8)) {
            in.transferTo(out);
        } catch (CharacterCodingException e) {
            throw new PermanentTaskException("invalid_encoding", "the file is not valid " + charset.name()
                    + " text; give its encoding with the encoding parameter");
        }
        return utf8;
    }

    private static List<String> openOptions(Path source, Map<String, Object> job) {
        List<String> options = new ArrayList<>();
        String extension = VectorParameters.extension(source.toString());
        if ("csv".equals(extension)) {
            if (job.get("wkt_column") != null) {
                options.add("GEOM_POSSIBLE_NAMES=" + job.get("wkt_column"));
            } else if (job.get("lat_column") != null) {
                options.add("X_POSSIBLE_NAMES=" + job.get("lon_column"));
                options.add("Y_POSSIBLE_NAMES=" + job.get("lat_column"));
            } else {
                options.add("X_POSSIBLE_NAMES=lon,longitude,lng,long,x");
                options.add("Y_POSSIBLE_NAMES=lat,latitude,y");
                options.add("GEOM_POSSIBLE_NAMES=wkt,geometry,geom,the_geom");
            }
            options.add("KEEP_GEOM_COLUMNS=NO");
            options.add("AUTODETECT_TYPE=YES");
        }
        if ("shp".equals(extension) && job.get("encoding") != null) {
            options.add("ENCODING=" + job.get("encoding"));
        }
        return options;
    }
}
