package io.geoetl.stac;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.geoetl.access.ErrorAnswers;
import io.geoetl.error.GeoetlException;
import io.geoetl.error.NotFoundException;
import io.geoetl.error.PermanentTaskException;
import io.geoetl.storage.BlobStore;
import io.geoetl.storage.BlobStore.BlobInfo;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * Streams an asset's blob to a catalog reader, for asset links that point at the API: HEAD answers the
 * size and ETag, GET the whole blob or one byte range (206), so GDAL's /vsicurl/ reads a COG range by
 * range as it would from blob storage. Only assets of catalogued items and collections are served, and
 * of those only blobs in containers geoetl may hand out ({@link AssetHrefs#locate}); nothing in the
 * request names a container or a blob. Every read of one answer is pinned to the ETag it reports.
 *
 * <p>A Spring MVC controller rather than a REST DSL route: Camel's HTTP binding sends stream bodies
 * chunked and drops Content-Length from HEAD answers, and a range server lives by exact headers.
 * The servlet filters of io.geoetl.access apply here as everywhere (API key, allowed hosts).
 */
@RestController
class StacAssets {

    private final StacRepository repository;
    private final AssetHrefs hrefs;
    private final BlobStore blobs;
    private final ObjectMapper mapper;

    StacAssets(StacRepository repository, AssetHrefs hrefs, BlobStore blobs, ObjectMapper mapper) {
        this.repository = repository;
        this.hrefs = hrefs;
        this.blobs = blobs;
        this.mapper = mapper;
    }

    @RequestMapping(path = "/api/stac/collections/{collectionId}/items/{itemId}/assets/{assetKey}",
            method = {RequestMethod.GET, RequestMethod.HEAD})
    void itemAsset(@PathVariable String collectionId, @PathVariable String itemId, @PathVariable String assetKey,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        answer(response, () -> serve(request, response, repository.findItem(collectionId, itemId)
                .orElseThrow(() -> new NotFoundException("item", itemId)), assetKey));
    }

    /** A collection's asset (a tiled raster's mosaic thumbnail, say). */
    @RequestMapping(path = "/api/stac/collections/{collectionId}/assets/{assetKey}",
            method = {RequestMethod.GET, RequestMethod.HEAD})
    void collectionAsset(@PathVariable String collectionId, @PathVariable String assetKey,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        answer(response, () -> serve(request, response, repository.findCollection(collectionId)
                .orElseThrow(() -> new NotFoundException("collection", collectionId)), assetKey));
    }

    private interface Serving {
        void run() throws IOException;
    }

    /** Runs {@code serving}; an error before the first byte answers as every API error does, in JSON. */
    private void answer(HttpServletResponse response, Serving serving) throws IOException {
        try {
            serving.run();
        } catch (GeoetlException e) {
            if (response.isCommitted()) {
                throw e;
            }
            response.reset();
            ErrorAnswers.write(response, e, mapper);
        }
    }

    /** An entity tag as HTTP writes it: quoted (Azure's ETags are, Azurite's are not). */
    private static String quoted(String etag) {
        return etag.startsWith("\"") ? etag : "\"" + etag + "\"";
    }

    private void serve(HttpServletRequest request, HttpServletResponse response, Map<String, Object> document,
            String key) throws IOException {
        Map<?, ?> asset = document.get("assets") instanceof Map<?, ?> assets && assets.get(key) instanceof Map<?, ?> a
                ? a : null;
        AssetHrefs.BlobLocation location = asset == null ? null : hrefs.locate(asset);
        if (location == null) {
            throw new NotFoundException("asset", key);
        }
        BlobInfo blob;
        try {
            blob = blobs.describe(location.container(), location.name());
        } catch (PermanentTaskException e) {
            // Catalogued, but the blob is gone (deleted behind geoetl's back): the asset is missing, not the server.
            throw new NotFoundException("asset", key);
        }
        String etag = quoted(blob.etag());
        // If-Range names the version a client already holds part of: for another version, the whole blob
        // (RFC 9110, 13.1.5), so a resumed download never splices two versions together.
        String ifRange = request.getHeader("If-Range");
        ByteRange range = ByteRange.of(ifRange == null || ifRange.equals(etag) ? request.getHeader("Range") : null,
                blob.size());
        response.setHeader("Accept-Ranges", "bytes");
        response.setHeader("ETag", etag);
        if (blob.lastModified() != null) {
            response.setDateHeader("Last-Modified", blob.lastModified().toInstant().toEpochMilli());
        }
        response.setContentType(asset.get("type") instanceof String type ? type
                : blob.contentType() != null ? blob.contentType() : "application/octet-stream");
        if (range.unsatisfiable()) {
            response.setStatus(416);
            response.setHeader("Content-Range", "bytes */" + blob.size());
            return;
        }
        response.setStatus(range.partial() ? 206 : 200);
        if (range.partial()) {
            response.setHeader("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + blob.size());
        }
        response.setContentLengthLong(range.length());
        if ("HEAD".equals(request.getMethod()) || range.length() == 0) {
            return;
        }
        try (InputStream in = blobs.openRange(location.container(), location.name(), blob.etag(), range.first(),
                range.length()); OutputStream out = response.getOutputStream()) {
            in.transferTo(out);
        }
    }
}
