package io.geoetl.error;

import java.util.Map;

/** A request named a host this keyless service does not answer to (421): see LoopbackHostFilter. */
public class MisdirectedRequestException extends GeoetlException {

    public MisdirectedRequestException(String host) {
        super("misdirected_request", "without GEOETL_API_KEY geoetl answers only requests for localhost, a "
                + "loopback address or GEOETL_PUBLIC_URL's host, not for " + host,
                Map.of("host", host), null);
    }

    @Override
    public int httpStatus() {
        return 421;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
