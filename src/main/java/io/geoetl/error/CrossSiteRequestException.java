package io.geoetl.error;

import java.util.Map;

/** A write sent by a page of another site (403): the API is for its own clients, not for other pages. */
public class CrossSiteRequestException extends GeoetlException {

    public CrossSiteRequestException(String origin) {
        super("cross_site_request", "a page of " + origin + " may not change anything here; call the API "
                + "from a client of your own (a browser sends Origin only for requests other sites' pages make)",
                Map.of("origin", origin), null);
    }

    @Override
    public int httpStatus() {
        return 403;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
