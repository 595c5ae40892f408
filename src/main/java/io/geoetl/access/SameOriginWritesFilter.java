package io.geoetl.access;

import java.io.IOException;
import java.net.URI;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.geoetl.error.CrossSiteRequestException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A write whose Origin is another site's is refused (403). The JSON rule stops HTML forms, but a page
 * elsewhere can still send a POST without a body (cancel, retry, resubmit) to a geoetl on the user's
 * own machine, where no key is needed. Browsers name the page's origin on every such request; API
 * clients (curl, SDKs, GDAL) send no Origin and are not affected, and neither is a page geoetl serves.
 */
@Component
@Order(AccessFilterOrder.SAME_ORIGIN)
class SameOriginWritesFilter extends OncePerRequestFilter {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final ObjectMapper mapper;

    SameOriginWritesFilter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !WRITES.contains(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String origin = request.getHeader("Origin");
        if (origin != null && !sameOrigin(origin, request.getHeader("Host"))) {
            ErrorAnswers.write(response, new CrossSiteRequestException(origin), mapper);
            return;
        }
        chain.doFilter(request, response);
    }

    /** The Origin's host and port are those the request was sent to ("null" and garbage are not). */
    static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null || uri.getScheme() == null) {
                return false;
            }
            int defaultPort = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            int originPort = uri.getPort() != -1 ? uri.getPort() : defaultPort;
            // Host is "name", "name:port", "[v6]" or "[v6]:port"; URI keeps an IPv6 host's brackets.
            boolean hasPort = host.lastIndexOf(':') > host.lastIndexOf(']');
            String requested = hasPort ? host : host + ":" + defaultPort;
            return requested.equalsIgnoreCase(uri.getHost() + ":" + originPort);
        } catch (IllegalArgumentException notAUri) {
            return false;
        }
    }
}
