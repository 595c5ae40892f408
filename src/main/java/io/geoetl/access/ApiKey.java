package io.geoetl.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import io.geoetl.config.ApiProperties;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

/** The configured API key (GEOETL_API_KEY) and whether a request presents it. */
@Component
public class ApiKey {

    private static final String BEARER = "bearer ";

    /** SHA-256 of the key, or null without one: comparing digests hides the key's length too. */
    private final byte[] expected;

    public ApiKey(ApiProperties api) {
        this.expected = api.keyRequired() ? sha256(api.apiKey()) : null;
    }

    public boolean configured() {
        return expected != null;
    }

    /**
     * The key in X-API-Key, or as {@code Authorization: Bearer <key>}, which is what Prometheus' scrape
     * configuration sends. Compared in constant time.
     */
    public boolean presentedBy(HttpServletRequest request) {
        String presented = request.getHeader("X-API-Key");
        String authorization = request.getHeader("Authorization");
        if (presented == null && authorization != null && authorization.regionMatches(true, 0, BEARER, 0,
                BEARER.length())) {
            presented = authorization.substring(BEARER.length()).trim();
        }
        return presented != null && expected != null && MessageDigest.isEqual(sha256(presented), expected);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
