package io.geoetl.outputs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import io.geoetl.outputs.OutputRegistry.OwnedBlob;
import io.geoetl.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Removes the blobs geoetl wrote for a target that its published output no longer uses: the previous
 * COG after a new one was switched in, the files of an unpublished item. The caller takes the list in
 * the transaction that switched the output and calls this after the commit, so a reader never finds an
 * item pointing at a deleted file and a later writer's blobs are never in the list; a blob some STAC
 * item still points at stays.
 */
@Component
public class StaleBlobs {

    private static final Logger log = LoggerFactory.getLogger(StaleBlobs.class);

    private final OutputRegistry registry;
    private final BlobStore blobs;

    StaleBlobs(OutputRegistry registry, BlobStore blobs) {
        this.registry = registry;
        this.blobs = blobs;
    }

    /**
     * Deletes these blobs (recorded for a target before its switch) except {@code keep} ("container/name")
     * and those some item points at; returns what was deleted.
     */
    public List<String> remove(List<OwnedBlob> previous, Collection<String> keep) {
        List<OwnedBlob> candidates = previous.stream().filter(blob -> !keep.contains(blob.container() + "/"
                + blob.name())).toList();
        Set<String> referenced = registry.referencedByItems(candidates.stream().map(blob -> blobs.url(
                blob.container(), blob.name())).toList());
        List<String> removed = new ArrayList<>();
        for (OwnedBlob blob : candidates) {
            if (referenced.contains(blobs.url(blob.container(), blob.name()))) {
                continue;
            }
            blobs.deleteIfExists(blob.container(), blob.name());
            registry.forgetBlob(blob.container(), blob.name());
            removed.add(blob.container() + "/" + blob.name());
        }
        if (!removed.isEmpty()) {
            log.info("event=stale_blobs_removed blobs={}", removed);
        }
        return removed;
    }
}
