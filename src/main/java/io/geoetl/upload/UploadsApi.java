package io.geoetl.upload;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.azure.storage.blob.models.BlobStorageException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geoetl.access.ErrorAnswers;
import io.geoetl.access.RawBodyEndpoint;
import io.geoetl.api.RequestBodyLimit;
import io.geoetl.config.IngestProperties;
import io.geoetl.config.UploadProperties;
import io.geoetl.error.BadRequestException;
import io.geoetl.error.BlobExistsException;
import io.geoetl.error.GeoetlException;
import io.geoetl.error.RequestBodyRefusedException;
import io.geoetl.error.TransientTaskException;
import io.geoetl.storage.BlobNames;
import io.geoetl.storage.BlobStore;
import io.geoetl.storage.BlockUploadStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * POST /api/uploads?name=NAME[&amp;overwrite=true]: stores the request body as the blob NAME under the ingest
 * prefix of the watched container, where auto-ingest finds it on its next listing. Answers 201 with the
 * blob's container, name, size and ETag and the ingest history filtered by that name.
 *
 * <p>The body streams to blob storage in blocks as it arrives ({@link BlockUploadStream}): memory stays at
 * a few blocks, nothing touches the disk, and the blob exists only once the whole body has arrived. A body
 * over GEOETL_MAX_UPLOAD_BYTES is cut off there and its blocks are never committed (413). An existing blob
 * is replaced only with overwrite=true (409 otherwise, also when another upload of the same name commits
 * first).
 *
 * <p>A Spring MVC controller rather than a REST DSL route: Camel's HTTP binding reads the whole body into
 * memory. The filters of io.geoetl.access apply (API key, same-origin writes); the JSON-only rule does not
 * ({@link RawBodyEndpoint}).
 */
@RestController
class UploadsApi {

    private static final Logger log = LoggerFactory.getLogger(UploadsApi.class);

    private final BlobStore blobs;
    private final IngestProperties ingest;
    private final UploadProperties uploads;
    private final ObjectMapper mapper;

    UploadsApi(BlobStore blobs, IngestProperties ingest, UploadProperties uploads, ObjectMapper mapper) {
        this.blobs = blobs;
        this.ingest = ingest;
        this.uploads = uploads;
        this.mapper = mapper;
    }

    @PostMapping(RawBodyEndpoint.PATH)
    void upload(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            Map<String, Object> stored = store(request);
            response.setStatus(201);
            response.setContentType("application/json");
            mapper.writeValue(response.getOutputStream(), stored);
        } catch (RequestBodyRefusedException tooLarge) {
            RequestBodyLimit.refuse(response, tooLarge, mapper);
        } catch (GeoetlException e) {
            ErrorAnswers.write(response, e, mapper);
        }
    }

    private Map<String, Object> store(HttpServletRequest request) throws IOException {
        UploadQuery query = UploadQuery.parse(request.getQueryString());
        if (query.name() == null) {
            throw BadRequestException.invalidParameter("name", "is required: the file's blob name relative to "
                    + "the ingest prefix");
        }
        String container = ingest.container();
        String prefix = ingest.prefix() == null ? "" : ingest.prefix();
        // The name as sent, then the blob name it becomes, by the rules every blob name passes.
        BlobNames.blob("name", query.name());
        String name = BlobNames.blob("name", prefix + query.name());
        if (request.getContentLengthLong() == 0) {
            throw missingBody();
        }
        if (!query.overwrite() && blobs.exists(container, name)) {
            throw new BlobExistsException(container, name);
        }
        Stored stored = copy(request.getInputStream(), container, name, query.overwrite());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("container", container);
        answer.put("blob_name", name);
        answer.put("name", query.name());
        answer.put("size_bytes", stored.size());
        answer.put("etag", stored.etag());
        answer.put("auto_ingest", ingest.enabled());
        answer.put("ingest_history", "/api/ingest/history?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        return answer;
    }

    private record Stored(long size, String etag) {
    }

    /** Streams the body into the blob. Nothing is committed unless the whole body arrived and fits. */
    private Stored copy(InputStream body, String container, String name, boolean overwrite) throws IOException {
        long limit = uploads.maxBytes();
        long size = 0;
        BlockUploadStream blob = blobs.openUpload(container, name, overwrite);
        try {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = body.read(buffer)) >= 0) {
                size += read;
                if (size > limit) {
                    log.info("event=upload_refused blob={} reason=too_large limit_bytes={}", name, limit);
                    throw RequestBodyRefusedException.tooLarge(limit, UploadProperties.MAX_BYTES_SETTING);
                }
                write(blob, buffer, read, container, name);
            }
            if (size == 0) {
                throw missingBody();
            }
        } catch (RuntimeException | IOException refusedOrBroken) {
            // Staged blocks that are never committed are not a blob; Azure discards them after a week.
            blob.abandon();
            blob.close();
            throw refusedOrBroken;
        }
        try {
            blob.close();
        } catch (BlobStorageException e) {
            // If-None-Match: * failed: another upload of that name committed first (Azure answers 409, Azurite 412).
            if (e.getStatusCode() == 409 || e.getStatusCode() == 412) {
                throw new BlobExistsException(container, name);
            }
            throw new TransientTaskException("blob_upload_failed", "upload of " + container + "/" + name
                    + " failed: " + e.getErrorCode(), e);
        } catch (IOException e) {
            throw new TransientTaskException("blob_upload_failed", "upload of " + container + "/" + name
                    + " failed: " + e.getMessage(), e);
        }
        log.info("event=upload_stored container={} blob={} size_bytes={} overwrite={}", container, name, size,
                overwrite);
        return new Stored(size, blob.etag());
    }

    /** A block that storage refused is the server's failure (503), not the client's. */
    private static void write(BlockUploadStream blob, byte[] buffer, int length, String container, String name) {
        try {
            blob.write(buffer, 0, length);
        } catch (IOException e) {
            throw new TransientTaskException("blob_upload_failed", "upload of " + container + "/" + name
                    + " failed: " + e.getMessage(), e);
        }
    }

    private static BadRequestException missingBody() {
        return new BadRequestException("missing_body", "the request body is the file to upload, and it is empty",
                Map.of());
    }
}
