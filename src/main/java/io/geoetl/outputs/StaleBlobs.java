package io.geoetl.outputs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.geoetl.outputs.OutputRegistry.OwnedBlob;
import io.geoetl.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Removes the blobs geoetl wrote for a target that its published output no longer uses: the previous
 * COG after a new one was switched in, the files of an unpublished item. Runs after the switch has
 * committed, so a reader never finds an item pointing at a deleted file; a blob some STAC item still
 * points at stays.
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
     * Deletes the target's recorded blobs except {@code keep} ("container/name") when no item points at
     * them; returns what was deleted.
     */
    public List<String> removeExcept(OutputTarget target, Collection<String> keep) {
        List<String> removed = new ArrayList<>();
        for (OwnedBlob blob : registry.blobs(target)) {
            String name = blob.container() + "/" + blob.name();
            if (keep.contains(name) || registry.referencedByAnItem(blobs.url(blob.container(), blob.name()))) {
                continue;
            }
            blobs.deleteIfExists(blob.container(), blob.name());
            registry.forgetBlob(blob.container(), blob.name());
            removed.add(name);
        }
        if (!removed.isEmpty()) {
            log.info("event=stale_blobs_removed target={} blobs={}", target, removed);
        }
        return removed;
    }
}
