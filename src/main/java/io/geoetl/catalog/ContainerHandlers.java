package io.geoetl.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

import io.geoetl.storage.BlobStore;
import io.geoetl.workflow.TaskClass;
import io.geoetl.workflow.TaskHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Handlers that read container listings (never blob contents): scan statistics and filtered lists. */
@Configuration
class ContainerHandlers {

    static final String SCAN = "container_scan";
    static final String LIST = "container_list";

    /** summarize_container: counts and bytes, by extension, and the largest files. */
    @Bean
    TaskHandler containerScanHandler(BlobStore blobs) {
        return TaskHandler.of(SCAN, TaskClass.LIGHT, input -> {
            Map<String, Object> job = input.jobParameters();
            int top = ((Number) job.get("top_n")).intValue();
            long files = 0;
            long bytes = 0;
            Map<String, long[]> byExtension = new TreeMap<>();
            PriorityQueue<BlobStore.BlobInfo> largest = new PriorityQueue<>(Comparator.comparingLong(
                    BlobStore.BlobInfo::size));
            Iterator<BlobStore.BlobInfo> listing = blobs.list((String) job.get("container"), (String) job.get("prefix"));
            while (listing.hasNext()) {
                BlobStore.BlobInfo blob = listing.next();
                files++;
                bytes += blob.size();
                String extension = FileKind.extension(blob.name());
                long[] counts = byExtension.computeIfAbsent(extension.isEmpty() ? "(none)" : extension,
                        key -> new long[2]);
                counts[0]++;
                counts[1] += blob.size();
                largest.add(blob);
                if (largest.size() > top) {
                    largest.poll();
                }
            }
            Map<String, Object> extensions = new LinkedHashMap<>();
            byExtension.forEach((extension, counts) -> extensions.put(extension, Map.of("files", counts[0],
                    "bytes", counts[1])));
            List<Map<String, Object>> biggest = new ArrayList<>();
            largest.stream().sorted(Comparator.comparingLong(BlobStore.BlobInfo::size).reversed())
                    .forEach(blob -> biggest.add(Map.of("name", blob.name(), "size", blob.size())));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("container", job.get("container"));
            result.put("prefix", job.get("prefix"));
            result.put("file_count", files);
            result.put("total_bytes", bytes);
            result.put("by_extension", extensions);
            result.put("largest_files", biggest);
            return result;
        });
    }

    /** list_container and sync_container stage 1: names matching prefix and extensions, up to max_files. */
    @Bean
    TaskHandler containerListHandler(BlobStore blobs) {
        return TaskHandler.of(LIST, TaskClass.LIGHT, input -> {
            Map<String, Object> job = input.jobParameters();
            List<String> extensions = extensions(job);
            boolean geospatialOnly = Boolean.TRUE.equals(input.parameters().get("geospatial_only"));
            int max = ((Number) job.get("max_files")).intValue();
            List<String> names = new ArrayList<>();
            boolean truncated = false;
            Iterator<BlobStore.BlobInfo> listing = blobs.list((String) job.get("container"), (String) job.get("prefix"));
            while (listing.hasNext()) {
                String name = listing.next().name();
                if (!extensions.isEmpty() && !extensions.contains(FileKind.extension(name))
                        || geospatialOnly && (FileKind.of(name) == FileKind.OTHER || isShapefilePart(name))) {
                    continue;
                }
                if (names.size() == max) {
                    truncated = true;
                    break;
                }
                names.add(name);
            }
            return Map.of("files", names, "count", names.size(), "truncated", truncated);
        });
    }

    /** A shapefile is catalogued through its .shp; the .shx/.dbf/.prj siblings are not items of their own. */
    private static boolean isShapefilePart(String name) {
        return List.of("shx", "dbf", "prj", "cpg").contains(FileKind.extension(name));
    }

    private static List<String> extensions(Map<String, Object> job) {
        Object filter = job.get("extension_filter");
        if (filter == null || String.valueOf(filter).isBlank()) {
            return List.of();
        }
        return Arrays.stream(String.valueOf(filter).split(",")).map(String::trim)
                .map(ext -> ext.startsWith(".") ? ext.substring(1) : ext).map(ext -> ext.toLowerCase(Locale.ROOT))
                .filter(ext -> !ext.isEmpty()).toList();
    }
}
