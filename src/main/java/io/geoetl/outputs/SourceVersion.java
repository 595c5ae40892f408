package io.geoetl.outputs;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import io.geoetl.storage.BlobStore.BlobInfo;

/**
 * The version of a source blob a job read: its container and name, ETag and last-modified time.
 * Versions of one blob are ordered by last-modified time, so that the order does not depend on which
 * job finishes first.
 */
public record SourceVersion(String container, String blob, String etag, OffsetDateTime modified) {

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

    /**
     * True when this version is strictly older than {@code other} (of the same blob): modified earlier.
     * Blob storage gives modification times to the second, and ETags are not ordered (Azurite's are
     * random), so two versions written in the same second cannot be ordered: neither is called older,
     * and the later write wins. A version without a modification time (read before versions were
     * recorded) is never called older either: nothing says it is.
     */
    public boolean olderThan(SourceVersion other) {
        return modified != null && other.modified != null && modified.isBefore(other.modified);
    }

    /**
     * The version a stage recorded in its result under "source"; a result written before versions were
     * recorded names only the job's blob.
     */
    @SuppressWarnings("unchecked")
    public static SourceVersion recorded(Map<String, Object> job, Map<String, Object> stageResult) {
        Object source = stageResult.get("source");
        return source instanceof Map<?, ?> map ? fromMap((Map<String, Object>) map)
                : new SourceVersion((String) job.get("container"), (String) job.get("blob_name"),
                        (String) job.get("source_etag"), null);
    }

    /** "bronze/teamA/roads.geojson". */
    public String describe() {
        return container + "/" + blob;
    }
}
