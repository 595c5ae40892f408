package io.geoetl.error;

import java.util.Map;

/** A blob of that name exists and the caller did not ask to replace it (409). */
public class BlobExistsException extends GeoetlException {

    public BlobExistsException(String container, String name) {
        super("blob_exists", "blob '" + name + "' already exists in container '" + container
                + "'; send overwrite=true to replace it", Map.of("container", container, "blob_name", name), null);
    }

    @Override
    public int httpStatus() {
        return 409;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
