package io.geoetl.orchestration;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A worker's hold on one received message. While the task runs, the lease keeps the message
 * invisible and the task's heartbeat fresh; at the end it either acknowledges the message or hands
 * it back for a later delivery. Implementations are per transport.
 */
public interface DeliveryLease {

    /** Keeps the message invisible while it waits for a thread; the task's heartbeat is not its concern yet. */
    void hold();

    /**
     * Keeps the message invisible while the task runs (holding it if not yet held); {@code heartbeat}
     * runs with each renewal and returns false once the attempt lost the task.
     */
    void keepAlive(BooleanSupplier heartbeat);

    /** The message was handled: it must not come back. */
    void acknowledge();

    /** The message should come back after {@code delay} for another attempt. */
    void redeliverAfter(Duration delay);

    /**
     * The delivery ends without a word on the message (an error escaped before it was acknowledged or
     * handed back): renewals stop, so the message comes back once its visibility runs out. No effect
     * after {@link #acknowledge()} or {@link #redeliverAfter(Duration)}.
     */
    void close();

    /** A lease for transports that need none (direct endpoints in tests). */
    static DeliveryLease none() {
        return new DeliveryLease() {
            @Override
            public void hold() {
            }

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

            @Override
            public void close() {
            }
        };
    }
}
