package io.geoetl.outputs;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

import io.geoetl.storage.BlobStore.BlobInfo;

/**
 * The version of a source blob a job read: its container and name, ETag and last-modified time.
 * Versions of one blob are ordered by last-modified time, then ETag, so that the order does not depend
 * on which job finishes first.
 */
public record SourceVersion(String container, String blob, String etag, OffsetDateTime modified) {

    private static final Comparator<SourceVersion> ORDER = Comparator.comparing(SourceVersion::modified,
            Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(SourceVersion::etag,
                    Comparator.nullsFirst(Comparator.naturalOrder()));

    public static SourceVersion of(String container, BlobInfo blob) {
        return new SourceVersion(container, blob.name(), blob.etag(), blob.lastModified());
    }

    /** The form kept in a stage's result (plain JSON values). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("container", container);
        map.put("blob", blob);
        map.put("etag", etag);
        map.put("modified", modified == null ? null : modified.toString());
        return map;
    }

    public static SourceVersion fromMap(Map<String, Object> map) {
        Object modified = map.get("modified");
        return new SourceVersion((String) map.get("container"), (String) map.get("blob"), (String) map.get("etag"),
                modified == null ? null : OffsetDateTime.parse((String) modified));
    }

    /** The same blob (container and name), whatever its version. */
    public boolean sameSource(String otherContainer, String otherBlob) {
        return container.equals(otherContainer) && blob.equals(otherBlob);
    }

    /** True when this version is strictly older than {@code other} (of the same blob). */
    public boolean olderThan(SourceVersion other) {
        return ORDER.compare(this, other) < 0;
    }

    /** "bronze/teamA/roads.geojson". */
    public String describe() {
        return container + "/" + blob;
    }
}
