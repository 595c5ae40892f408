package io.geoetl.access;

import java.io.IOException;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.geoetl.error.UnauthorizedException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * With an API key configured, answers 401 to any request without it, except the open endpoints of
 * {@link EndpointAccess}. One filter in front of every route and actuator endpoint, so no route has to
 * remember to check.
 */
@Component
@Order(AccessFilterOrder.API_KEY)
class ApiKeyFilter extends OncePerRequestFilter {

    private final ApiKey key;
    private final ObjectMapper mapper;

    ApiKeyFilter(ApiKey key, ObjectMapper mapper) {
        this.key = key;
        this.mapper = mapper;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !key.configured() || EndpointAccess.open(request.getMethod(), path(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (key.presentedBy(request)) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("WWW-Authenticate", "Bearer realm=\"geoetl\"");
        ErrorAnswers.write(response, new UnauthorizedException(), mapper);
    }

    /** The path as the container decoded and normalised it, not the raw URI a caller can dress up. */
    private static String path(HttpServletRequest request) {
        return request.getServletPath() + Objects.toString(request.getPathInfo(), "");
    }
}
