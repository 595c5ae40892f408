package io.geoetl.storage;

import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.Set;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobDownloadToFileOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlobUploadFromFileOptions;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.ParallelTransferOptions;
import io.geoetl.error.PermanentTaskException;
import io.geoetl.error.TransientTaskException;
import org.springframework.stereotype.Component;

/** Blob access for task handlers: listing without downloading, download to a work file, upload, signed links. */
@Component
public class BlobStore {

    /** One listed blob. */
    public record BlobInfo(String name, long size, String etag, OffsetDateTime lastModified, String contentType) {
    }

    private final BlobServiceClient service;

    public BlobStore(BlobServiceClient service) {
        this.service = service;
    }

    /** Blobs under a prefix, streamed page by page from the service (nothing is downloaded). */
    public Iterator<BlobInfo> list(String container, String prefix) {
        BlobContainerClient client = existingContainer(container);
        Iterator<BlobItem> items = client.listBlobs(new ListBlobsOptions().setPrefix(prefix).setMaxResultsPerPage(5000),
                null).iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return items.hasNext();
            }

            @Override
            public BlobInfo next() {
                BlobItem item = items.next();
                var properties = item.getProperties();
                return new BlobInfo(item.getName(), properties.getContentLength() == null ? 0
                        : properties.getContentLength(), properties.getETag(), properties.getLastModified(),
                        properties.getContentType());
            }
        };
    }

    /** Size, ETag and type of a blob in one request; a missing blob or container is a permanent error. */
    public BlobInfo describe(String container, String name) {
        try {
            var properties = service.getBlobContainerClient(container).getBlobClient(name).getProperties();
            return new BlobInfo(name, properties.getBlobSize(), properties.getETag(), properties.getLastModified(),
                    properties.getContentType());
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                existingContainer(container);
            }
            throw transientOrMissing(container, name, e);
        }
    }

    /**
     * Downloads a blob to {@code target} and returns the version it holds: the download is pinned to the
     * ETag read first, so a blob rewritten meanwhile fails the download (transiently: the retry reads the
     * new version) instead of mixing two versions. A missing blob is a permanent error naming it.
     */
    public BlobInfo download(String container, String name, Path target) {
        BlobInfo info = describe(container, name);
        try {
            // Ranged parallel download: several 8 MB requests in flight, as fast as Azurite or Azure serve them.
            service.getBlobContainerClient(container).getBlobClient(name).downloadToFileWithResponse(
                    new BlobDownloadToFileOptions(target.toString())
                            .setParallelTransferOptions(new ParallelTransferOptions()
                                    .setBlockSizeLong(8L << 20).setMaxConcurrency(8))
                            .setOpenOptions(Set.of(StandardOpenOption.CREATE,
                                    StandardOpenOption.TRUNCATE_EXISTING,
                                    StandardOpenOption.WRITE))
                            .setRequestConditions(new BlobRequestConditions().setIfMatch(info.etag())), null,
                    Context.NONE);
        } catch (BlobStorageException e) {
            throw transientOrMissing(container, name, e);
        }
        return info;
    }

    /** Uploads (overwrites) a blob from a file and returns its new ETag. */
    public String upload(String container, String name, Path source) {
        try {
            BlobContainerClient client = service.getBlobContainerClient(container);
            client.createIfNotExists();
            return client.getBlobClient(name).uploadFromFileWithResponse(new BlobUploadFromFileOptions(
                    source.toString()), null, Context.NONE).getValue().getETag();
        } catch (BlobStorageException e) {
            throw new TransientTaskException("blob_upload_failed", "upload of " + container + "/" + name
                    + " failed: " + e.getErrorCode(), e);
        }
    }

    /**
     * A stream that uploads a blob (overwriting it) in 4 MB blocks, four in flight, as it is written;
     * the blob exists once the stream is closed, unless it was abandoned.
     */
    public BlockUploadStream openUpload(String container, String name) {
        return openUpload(container, name, true);
    }

    /**
     * As {@link #openUpload(String, String)}; with {@code overwrite} false the commit fails with a 409
     * {@link BlobStorageException} (BlobAlreadyExists) if the blob exists by then, and leaves it as it was.
     */
    public BlockUploadStream openUpload(String container, String name, boolean overwrite) {
        try {
            BlobContainerClient client = service.getBlobContainerClient(container);
            client.createIfNotExists();
            return new BlockUploadStream(client.getBlobClient(name).getBlockBlobClient(), 4 << 20, 4, overwrite);
        } catch (BlobStorageException e) {
            throw new TransientTaskException("blob_upload_failed", "upload of " + container + "/" + name
                    + " failed: " + e.getErrorCode(), e);
        }
    }

    /** Whether the blob exists (a missing container counts as a missing blob). */
    public boolean exists(String container, String name) {
        BlobContainerClient client = service.getBlobContainerClient(container);
        return client.exists() && client.getBlobClient(name).exists();
    }

    /** Deletes a blob if it exists (cleanup after a failed write). */
    public void deleteIfExists(String container, String name) {
        service.getBlobContainerClient(container).getBlobClient(name).deleteIfExists();
    }

    /**
     * A byte range of a blob as a stream, read in 4 MB requests; {@code etag} pins the version, so a
     * blob rewritten meanwhile fails the read instead of mixing two versions.
     */
    public InputStream openRange(String container, String name, String etag, long offset, long length) {
        try {
            return service.getBlobContainerClient(container).getBlobClient(name).openInputStream(
                    new BlobInputStreamOptions().setRange(new BlobRange(offset, length)).setBlockSize(4 << 20)
                            .setRequestConditions(new BlobRequestConditions().setIfMatch(etag)));
        } catch (BlobStorageException e) {
            throw transientOrMissing(container, name, e);
        }
    }

    /** The blob's URL with its path separators kept as slashes (the SDK encodes them as %2F). */
    public String url(String container, String name) {
        StringBuilder url = new StringBuilder(service.getAccountUrl()).append('/').append(container);
        for (String segment : name.split("/")) {
            url.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8)
                    .replace("+", "%20"));
        }
        return url.toString();
    }

    /** A read-only link valid until {@code expiry}, signed with the account key. */
    public String signedUrl(String container, String name, OffsetDateTime expiry) {
        BlobClient blob = service.getBlobContainerClient(container).getBlobClient(name);
        String sas = blob.generateSas(new BlobServiceSasSignatureValues(expiry, new BlobSasPermission()
                .setReadPermission(true)), Context.NONE);
        return url(container, name) + "?" + sas;
    }

    /** The container and blob name of a URL this store produced, or null when it is not one of ours. */
    public String[] parseUrl(String url) {
        String account = service.getAccountUrl();
        if (url == null || !url.startsWith(account + "/")) {
            return null;
        }
        String rest = url.substring(account.length() + 1);
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        return new String[] {rest.substring(0, slash),
                URLDecoder.decode(rest.substring(slash + 1), StandardCharsets.UTF_8)};
    }

    private BlobContainerClient existingContainer(String container) {
        BlobContainerClient client = service.getBlobContainerClient(container);
        if (!client.exists()) {
            throw new PermanentTaskException("container_not_found", "container '" + container + "' does not exist");
        }
        return client;
    }

    private static RuntimeException transientOrMissing(String container, String name, BlobStorageException e) {
        if (e.getStatusCode() == 404) {
            return new PermanentTaskException("blob_not_found", "blob '" + name + "' does not exist in container '"
                    + container + "'");
        }
        return new TransientTaskException("blob_unavailable", "blob storage failed for " + container + "/" + name
                + ": " + e.getErrorCode(), e);
    }
}
