package io.geoetl.api;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

/**
 * What the HTTP request itself said, for API beans. Camel merges query parameters into the message
 * headers, so a header read from the message may be a query parameter of the same name: a link built
 * from the "Host" header of {@code ?Host=evil.example} would send clients (and the API key GDAL sends
 * with every request) elsewhere. These read the servlet request instead.
 */
public final class HttpRequests {

    private HttpRequests() {
    }

    /** The servlet request behind an API exchange; null for an exchange that did not come over HTTP. */
    public static HttpServletRequest of(Exchange exchange) {
        return exchange.getIn() instanceof PlatformHttpMessage http ? http.getRequest() : null;
    }

    /** The Host header the client sent (null when there is none, or outside HTTP). */
    public static String host(Exchange exchange) {
        HttpServletRequest request = of(exchange);
        return request == null ? null : request.getHeader("Host");
    }
}
