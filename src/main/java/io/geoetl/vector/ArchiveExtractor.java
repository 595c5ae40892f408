package io.geoetl.vector;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import io.geoetl.error.PermanentTaskException;

/**
 * Unpacks a zip or kmz defensively: entries must stay inside the target folder (zip-slip), and the
 * number of entries and the bytes actually written are capped (zip bombs lie in their headers, so
 * the cap counts what is inflated, not what is declared).
 */
final class ArchiveExtractor {

    private ArchiveExtractor() {
    }

    static void extract(Path archive, Path target, int maxEntries, long maxBytes) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        long written = 0;
        int entries = 0;
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry entry = all.nextElement();
                if (++entries > maxEntries) {
                    throw new PermanentTaskException("archive_too_many_entries", "the archive has more than "
                            + maxEntries + " entries");
                }
                Path destination = root.resolve(entry.getName()).normalize();
                if (!destination.startsWith(root) || entry.getName().startsWith("/") || entry.getName().contains("..")) {
                    throw new PermanentTaskException("archive_path_escape", "the archive entry '" + entry.getName()
                            + "' points outside its folder (zip-slip); refused");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                    continue;
                }
                Files.createDirectories(destination.getParent());
                try (InputStream in = zip.getInputStream(entry); OutputStream out = Files.newOutputStream(destination)) {
                    byte[] buffer = new byte[1 << 16];
                    int read;
                    while ((read = in.read(buffer)) != -1) {
                        written += read;
                        if (written > maxBytes) {
                            throw new PermanentTaskException("archive_too_large", "the archive expands beyond "
                                    + maxBytes + " bytes (zip bomb?); refused");
                        }
                        out.write(buffer, 0, read);
                    }
                }
            }
        } catch (ZipException e) {
            throw new PermanentTaskException("corrupt_archive", "not a readable zip archive: " + e.getMessage());
        }
    }
}
