package io.geoetl.orchestration;

import com.azure.storage.queue.models.QueueStorageException;
import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The queue consumer's exception handler. After a lease renewed a message (new pop receipt) the
 * consumer's own delete with the first receipt fails by design; that is logged at debug. Anything
 * else is a real problem and logged as a warning in one line.
 */
@Component("quietQueueExceptionHandler")
class QuietQueueExceptionHandler implements ExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(QuietQueueExceptionHandler.class);

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        if (exception instanceof QueueStorageException storage
                && (storage.getStatusCode() == 404 || storage.getStatusCode() == 400)) {
            log.debug("event=consumer_delete_skipped status={} reason=receipt_superseded", storage.getStatusCode());
            return;
        }
        log.warn("event=queue_consumer_error message=\"{}\" error=\"{}\"", message,
                exception == null ? "" : exception.toString());
    }
}
