package io.geoetl.api;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.geoetl.access.RawBodyEndpoint;
import io.geoetl.config.ApiProperties;
import io.geoetl.config.UploadProperties;
import io.geoetl.error.ErrorMapping;
import io.geoetl.error.RequestBodyRefusedException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds every request body, whatever its path, before Camel reads it (matching "/api/" on the raw URI
 * missed "/api;x=1/..." and "/%61pi/...", which the routes still serve): Camel's platform-http binding copies the
 * whole body into memory (and inflates a gzip or deflate Content-Encoding) with no limit of its own.
 * A Content-Length over the limit answers 413 without reading a byte; a body without one (chunked) is
 * read up to the limit, then either refused or handed on from that bounded copy. A body with a
 * Content-Encoding answers 415. The server then discards at most Tomcat's max-swallow-size (2 MB) and closes.
 *
 * <p>Uploads ({@link RawBodyEndpoint}) are files, not JSON, and are never handed to Camel: their limit is
 * GEOETL_MAX_UPLOAD_BYTES, a larger Content-Length answers 413 here, and a chunked body goes on unread,
 * since the upload streams it to blob storage and stops at the same limit itself.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class RequestBodyLimit extends OncePerRequestFilter {

    private final ApiProperties api;
    private final UploadProperties uploads;
    private final ObjectMapper mapper;

    RequestBodyLimit(ApiProperties api, UploadProperties uploads, ObjectMapper mapper) {
        this.api = api;
        this.uploads = uploads;
        this.mapper = mapper;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        boolean upload = RawBodyEndpoint.matches(request);
        long limit = upload ? uploads.maxBytes() : api.maxRequestBytes();
        String setting = upload ? UploadProperties.MAX_BYTES_SETTING : ApiProperties.MAX_REQUEST_BYTES_SETTING;
        // Any Content-Encoding, "identity" included: Camel's binding inflates gzip and deflate without a
        // limit, and fails on the others (a 500). Every value counts, not only the first header's.
        List<String> encodings = Collections.list(request.getHeaders("Content-Encoding"));
        if (!encodings.isEmpty()) {
            refuse(response, RequestBodyRefusedException.encoded(String.join(", ", encodings).strip()), mapper);
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            refuse(response, RequestBodyRefusedException.tooLarge(limit, setting), mapper);
            return;
        }
        if (declared >= 0 || upload) {
            // Tomcat never reads past a declared length: Camel can read this one itself. An upload counts what
            // it streams and stops at the limit, chunked or not.
            chain.doFilter(request, response);
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), limit + 1);
        if (body.length > limit) {
            refuse(response, RequestBodyRefusedException.tooLarge(limit, setting), mapper);
            return;
        }
        chain.doFilter(new BufferedBody(request, body), response);
    }

    /** Answers a refused body with the API's error document and closes the connection. */
    public static void refuse(HttpServletResponse response, RequestBodyRefusedException refusal, ObjectMapper mapper)
            throws IOException {
        response.setStatus(refusal.httpStatus());
        response.setContentType("application/json");
        // The unread rest of the body would otherwise be the next request on this connection.
        response.setHeader("Connection", "close");
        response.getOutputStream().write(mapper.writeValueAsBytes(ErrorMapping.errorBody(refusal)));
    }

    /** Up to {@code max} bytes of the stream: fewer only when the body ends first. */
    static byte[] readAtMost(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long remaining = max;
        while (remaining > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (read < 0) {
                break;
            }
            out.write(buffer, 0, read);
            remaining -= read;
        }
        return out.toByteArray();
    }

    /** The request with its (bounded, already read) body served from memory. */
    private static final class BufferedBody extends HttpServletRequestWrapper {

        private final byte[] body;

        BufferedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String charset = getCharacterEncoding();
            Charset decoding = charset == null ? StandardCharsets.UTF_8 : Charset.forName(charset);
            return new BufferedReader(new InputStreamReader(getInputStream(), decoding));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
