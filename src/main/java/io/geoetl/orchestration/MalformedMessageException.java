package io.geoetl.orchestration;

import java.util.HashMap;
import java.util.Map;

import io.geoetl.error.PermanentTaskException;

/** A queue message that is not JSON or not of the expected shape; goes to the poison queue. */
public class MalformedMessageException extends PermanentTaskException {

    private final String recoveredId;

    public MalformedMessageException(String message, String recoveredId, Throwable cause) {
        super("malformed_message", message, details(recoveredId), cause);
        this.recoveredId = recoveredId;
    }

    /** A job or task id found in the body, or null. */
    public String recoveredId() {
        return recoveredId;
    }

    private static Map<String, Object> details(String recoveredId) {
        Map<String, Object> details = new HashMap<>();
        if (recoveredId != null) {
            details.put("recovered_id", recoveredId);
        }
        return details;
    }
}
