package io.geoetl.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.geoetl.error.ErrorMapping;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes API answers as JSON, and is the one place that maps an exception to an HTTP error answer
 * ({@code {"error", "message", "details"}}), used by the api-errors route configuration.
 */
@Component("jsonResponder")
public class JsonResponder {

    private static final Logger log = LoggerFactory.getLogger(JsonResponder.class);

    private final ObjectMapper mapper;

    public JsonResponder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void respond(Exchange exchange) throws Exception {
        ApiResponse response = exchange.getIn().getBody(ApiResponse.class);
        Message out = exchange.getMessage();
        write(out, response.status(), response.body(), contentType(response));
        response.headers().forEach(out::setHeader);
    }

    public void error(Exchange exchange) throws Exception {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status = ErrorMapping.httpStatus(error);
        if (status >= 500) {
            log.error("event=api_error route={} error=\"{}\"", exchange.getFromRouteId(), ErrorMapping.describe(error),
                    error);
        }
        Message out = exchange.getMessage();
        write(out, status, ErrorMapping.errorBody(error), "application/json");
    }

    private void write(Message out, int status, Object body, String contentType) throws Exception {
        // Request headers (and path parameters) must not echo back into the response.
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, contentType);
        out.setBody(mapper.writeValueAsString(body));
    }

    private static String contentType(ApiResponse response) {
        return response.headers().getOrDefault(Exchange.CONTENT_TYPE, "application/json");
    }
}
