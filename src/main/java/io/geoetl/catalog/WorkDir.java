package io.geoetl.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.geoetl.scratch.ScratchSpace;
import io.geoetl.storage.BlobStore;
import io.geoetl.storage.BlobStore.BlobInfo;

/** A task's private scratch folder; closing it deletes everything GDAL or a download left in it. */
public final class WorkDir implements AutoCloseable {

    /**
     * The files a format reads beside its own by design, by the file's extension: a shapefile's index,
     * attributes, CRS and code page, an ASCII grid's CRS. Nothing else is downloaded beside a file, so
     * no other file dropped beside it in the container can change how it reads.
     */
    private static final Map<String, List<String>> SIBLINGS = Map.of(
            "shp", List.of("shx", "dbf", "prj", "cpg"),
            "asc", List.of("prj"));

    private final Path root;

    private WorkDir(Path root) {
        this.root = root;
    }

    public static WorkDir create() {
        try {
            // Inside this process's scratch folder, so that a restart can tell its leftovers from a live process's.
            return new WorkDir(ScratchSpace.current().newFolder("geoetl-task-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Downloads a blob into this folder, with a shapefile's siblings when they exist, and returns the
     * local file. The local name is the blob's own file name made safe (never its path), because GDAL
     * names a GeoJSON's or CSV's layer after the file.
     */
    public Path download(BlobStore blobs, String container, String blobName) {
        return downloadVersion(blobs, container, blobName).file();
    }

    /** A downloaded file and the version of the blob it holds. */
    public record Downloaded(Path file, BlobInfo blob) {
    }

    /** As {@link #download}, also giving the version (ETag, last-modified time) of what was read. */
    public Downloaded downloadVersion(BlobStore blobs, String container, String blobName) {
        String extension = FileKind.extension(blobName);
        String localStem = localStem(blobName, extension);
        Path local = root.resolve(localStem + (extension.isEmpty() ? "" : "." + extension));
        BlobInfo version = blobs.download(container, blobName, local);
        String stem = blobName.substring(0, blobName.length() - extension.length());
        for (String sibling : SIBLINGS.getOrDefault(extension, List.of())) {
            try {
                blobs.download(container, stem + sibling, root.resolve(localStem + "." + sibling));
            } catch (RuntimeException missing) {
                // .prj and .cpg are optional; a missing .shx/.dbf makes GDAL refuse the file with a clear error.
            }
        }
        return new Downloaded(local, version);
    }

    /**
     * The blob's file name without its extension, as a name no shell, GDAL option parser or path
     * resolution can misread: letters, digits, space, {@code _}, {@code -} and {@code .} only, no leading
     * dash or dot, at most 100 characters; "input" when nothing is left.
     */
    static String localStem(String blobName, String extension) {
        String fileName = blobName.substring(blobName.lastIndexOf('/') + 1);
        String stem = extension.isEmpty() ? fileName : fileName.substring(0, Math.max(0, fileName.length()
                - extension.length() - 1));
        StringBuilder safe = new StringBuilder();
        stem.codePoints().limit(100).forEach(c -> safe.appendCodePoint(Character.isLetterOrDigit(c) || c == ' '
                || c == '-' || c == '.' ? c : '_'));
        String name = safe.toString().replaceFirst("^[-. ]+", "").strip();
        return name.isEmpty() ? "input" : name;
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
