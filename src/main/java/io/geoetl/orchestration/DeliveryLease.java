package io.geoetl.orchestration;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A worker's hold on one received message. While the task runs, the lease keeps the message
 * invisible and the task's heartbeat fresh; at the end it either acknowledges the message or hands
 * it back for a later delivery. Implementations are per transport.
 */
public interface DeliveryLease {

    /** Starts renewing; {@code heartbeat} runs with each renewal and returns false once the attempt lost the task. */
    void keepAlive(BooleanSupplier heartbeat);

    /** The message was handled: it must not come back. */
    void acknowledge();

    /** The message should come back after {@code delay} for another attempt. */
    void redeliverAfter(Duration delay);

    /** A lease for transports that need none (direct endpoints in tests). */
    static DeliveryLease none() {
        return new DeliveryLease() {
            @Override
            public void keepAlive(BooleanSupplier heartbeat) {
            }

            @Override
            public void acknowledge() {
            }

            @Override
            public void redeliverAfter(Duration delay) {
                throw new IllegalStateException("this transport cannot redeliver; the exchange must fail");
            }
        };
    }
}
