package io.geoetl.console;

import java.io.IOException;

import io.geoetl.config.ConsoleProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The console's pages may load scripts, styles and data from geoetl only, so that text from the API that a
 * bug let into the page as markup still could not run a script or send anything elsewhere. Images may also
 * be data: and blob: URLs (thumbnails and downloads are fetched with the key and shown as object URLs) and,
 * when an online base map is configured, tiles from its origin. Inline styles are allowed because Leaflet
 * positions its map panes with them; inline scripts are not.
 *
 * <p>Every answer carries it, not only the console's paths: the servlet container serves the page under other
 * spellings too (/index.html/, //index.html, /%69ndex.html, /index.html;x), and on JSON and bytes the policy
 * changes nothing.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
class ContentSecurityPolicyFilter extends OncePerRequestFilter {

    static final String HEADER = "Content-Security-Policy";

    private final String policy;

    ContentSecurityPolicyFilter(ConsoleProperties console) {
        this.policy = policy(console);
    }

    static String policy(ConsoleProperties console) {
        String images = "'self' data: blob:" + (console.hasTiles() ? " " + console.tileOrigin() : "");
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src " + images
                + "; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                + "frame-ancestors 'none'";
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader(HEADER, policy);
        chain.doFilter(request, response);
    }
}
