package io.geoetl.ingest;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.geoetl.catalog.FileKind;

/** What auto-ingest does with a blob, decided by its name and the names next to it. */
final class IngestRules {

    /** Files that belong to a shapefile (or a raster) and are read with it, never on their own. */
    private static final List<String> SIDECARS = List.of("shx", "dbf", "prj", "cpg", "sbn", "sbx", "qix", "qmd",
            "aux.xml", "shp.xml", "ovr", "tfw", "tifw", "wld", "msk");
    /** A .shp is submitted once these siblings exist. */
    private static final List<String> SHAPEFILE_NEEDS = List.of("shx", "dbf", "prj");

    /**
     * @param jobType the job to submit, or null
     * @param status  submitted (a job), waiting (for siblings) or skipped
     * @param reason  why it waits or is skipped
     */
    record Decision(String jobType, String status, String reason) {

        static Decision submit(String jobType) {
            return new Decision(jobType, "submitted", null);
        }

        static Decision skip(String reason) {
            return new Decision(null, "skipped", reason);
        }
    }

    private IngestRules() {
    }

    static Decision decide(String name, Set<String> listed) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith("/")) {
            return Decision.skip("a folder marker");
        }
        for (String sidecar : SIDECARS) {
            if (lower.endsWith("." + sidecar)) {
                return Decision.skip("." + sidecar + " is a sidecar file, read together with its main file");
            }
        }
        if (lower.endsWith(".shp")) {
            String stem = name.substring(0, name.length() - 4);
            List<String> missing = SHAPEFILE_NEEDS.stream().filter(extension -> !listed.contains(stem + "."
                    + extension) && !listed.contains(stem + "." + extension.toUpperCase(Locale.ROOT)))
                    .toList();
            return missing.isEmpty() ? Decision.submit("process_vector") : new Decision(null, "waiting",
                    "waiting for its " + String.join(", ", missing.stream().map(e -> "." + e).toList()));
        }
        return switch (FileKind.of(name)) {
            case RASTER -> Decision.submit("process_raster");
            case VECTOR -> Decision.submit("process_vector");
            case OTHER -> Decision.skip("no job for this kind of file (." + FileKind.extension(name) + ")");
        };
    }
}
