package io.geoetl.access;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.geoetl.config.StacProperties;
import io.geoetl.error.MisdirectedRequestException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Without an API key geoetl listens on loopback only, but a web page can still reach it through DNS
 * rebinding: its own host name, re-pointed at 127.0.0.1, makes the browser treat geoetl as the page's
 * origin (Origin and Host then agree). Such requests name the page's host, so a keyless geoetl answers
 * only requests for localhost, a loopback address or GEOETL_PUBLIC_URL's host (421 otherwise). With a
 * key the page cannot present it, and any host is served.
 */
@Component
@Order(AccessFilterOrder.LOOPBACK_HOST)
class LoopbackHostFilter extends OncePerRequestFilter {

    private final ApiKey key;
    private final ObjectMapper mapper;
    private final String publicHost;

    LoopbackHostFilter(ApiKey key, ObjectMapper mapper, StacProperties stac) {
        this.key = key;
        this.mapper = mapper;
        this.publicHost = stac.publicUrl() == null || stac.publicUrl().isBlank() ? null
                : URI.create(stac.publicUrl()).getHost();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return key.configured();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String host = request.getServerName();
        if (!allowed(host, publicHost)) {
            ErrorAnswers.write(response, new MisdirectedRequestException(host), mapper);
            return;
        }
        chain.doFilter(request, response);
    }

    /** localhost, a loopback address literal (127.0.0.0/8, ::1) or the public URL's host. */
    static boolean allowed(String host, String publicHost) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.equals("localhost") || name.equalsIgnoreCase(publicHost)) {
            return true;
        }
        // Only literals: a name is never resolved here (resolving is what the attacker controls).
        boolean ipv4 = name.matches("[0-9.]+");
        boolean ipv6 = name.contains(":") && name.matches("[0-9a-f:.]+");
        if (!ipv4 && !ipv6) {
            return false;
        }
        try {
            return InetAddress.getByName(name).isLoopbackAddress();
        } catch (UnknownHostException notAnAddress) {
            return false;
        }
    }
}
