package io.geoetl.access;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.geoetl.error.UnsupportedMediaTypeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.annotation.Order;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A POST, PUT or PATCH that has a body, or declares a type, must be JSON (415 otherwise). A browser lets a
 * page on any site send text/plain, form-urlencoded or multipart bodies to geoetl without asking first; it
 * asks (and geoetl does not agree) before sending JSON. So no form elsewhere can submit or cancel a job.
 *
 * <p>The exception is {@link RawBodyEndpoint} (file uploads): its body is the file, of any type but
 * multipart (a form's envelope would be stored instead of the file). A page elsewhere can send it without
 * asking, so there {@link SameOriginWritesFilter} is what refuses another site's request, and the API key
 * when one is set.
 */
@Component
@Order(AccessFilterOrder.JSON_BODY)
class JsonBodyFilter extends OncePerRequestFilter {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH");

    private final ObjectMapper mapper;

    JsonBodyFilter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !WRITES.contains(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String type = request.getContentType();
        if (RawBodyEndpoint.matches(request)) {
            if (multipart(type)) {
                ErrorAnswers.write(response, UnsupportedMediaTypeException.multipartUpload(type), mapper);
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        if (type == null ? hasBody : !json(type)) {
            ErrorAnswers.write(response, new UnsupportedMediaTypeException(type), mapper);
            return;
        }
        chain.doFilter(request, response);
    }

    /** multipart/anything: an HTML form's envelope, not a file. */
    static boolean multipart(String contentType) {
        return contentType != null && contentType.strip().toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    /** application/json or application/*+json (application/geo+json, say), with any parameters. */
    static boolean json(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.getType().equals("application")
                    && (type.getSubtype().equals("json") || "json".equals(type.getSubtypeSuffix()));
        } catch (InvalidMediaTypeException notAType) {
            return false;
        }
    }
}
