package io.geoetl.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.geoetl.storage.BlobStore;

/** A task's private scratch folder; closing it deletes everything GDAL or a download left in it. */
public final class WorkDir implements AutoCloseable {

    private static final List<String> SHAPEFILE_SIBLINGS = List.of("shx", "dbf", "prj", "cpg");

    private final Path root;

    private WorkDir(Path root) {
        this.root = root;
    }

    public static WorkDir create() {
        try {
            return new WorkDir(Files.createTempDirectory("geoetl-task-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Downloads a blob under a fixed local name (never the user's path), with a shapefile's siblings
     * when they exist, and returns the local file.
     */
    public Path download(BlobStore blobs, String container, String blobName) {
        String extension = FileKind.extension(blobName);
        Path local = root.resolve("input" + (extension.isEmpty() ? "" : "." + extension));
        blobs.download(container, blobName, local);
        if ("shp".equals(extension)) {
            String stem = blobName.substring(0, blobName.length() - 3);
            for (String sibling : SHAPEFILE_SIBLINGS) {
                try {
                    blobs.download(container, stem + sibling, root.resolve("input." + sibling));
                } catch (RuntimeException missing) {
                    // .prj and .cpg are optional; a missing .shx/.dbf makes GDAL refuse the file with a clear error.
                }
            }
        }
        return local;
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
