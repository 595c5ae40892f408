package io.geoetl.api;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A process without the api role (geoetl.roles.api=false, e.g. a pure worker) answers 404 on /api/*,
 * except /api/health, which stays up with /actuator for the orchestrator's probes.
 */
@Component
@ConditionalOnProperty(name = "geoetl.roles.api", havingValue = "false")
class ApiRoleFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !path.startsWith("/api/") || path.equals("/api/health");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setStatus(404);
        response.setContentType("application/json");
        response.getWriter().write("{\"error\": \"api_role_off\", \"message\": \"this instance does not serve the "
                + "API (geoetl.roles.api=false); send requests to an api instance\", \"details\": {}}");
    }
}
