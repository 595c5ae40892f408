package io.geoetl.access;

import org.springframework.core.Ordered;

/**
 * Filter order: the host a keyless service answers to, then the key (a caller without it learns nothing
 * else), then the body's type, then where a write comes from.
 */
final class AccessFilterOrder {

    static final int LOOPBACK_HOST = Ordered.HIGHEST_PRECEDENCE + 19;
    static final int API_KEY = Ordered.HIGHEST_PRECEDENCE + 20;
    static final int JSON_BODY = API_KEY + 1;
    static final int SAME_ORIGIN = JSON_BODY + 1;

    private AccessFilterOrder() {
    }
}
