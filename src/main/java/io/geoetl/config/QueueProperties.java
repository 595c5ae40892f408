package io.geoetl.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Job and task queues. The Camel endpoint URIs themselves live in application.yaml
 * ({@code geoetl.endpoints.*}) so another transport is configuration, not code.
 *
 * @param jobQueue          queue of job messages (open a stage)
 * @param taskQueue         queue of task messages
 * @param visibilityTimeout how long a received message stays invisible; leases renew it at a third of this
 * @param maxDeliveries     deliveries of a transiently failing task before it fails and moves to poison
 * @param retryBackoff      first redelivery delay after a transient failure; doubles per delivery
 * @param maxRetryBackoff   cap of the redelivery delay
 * @param receiveBatch      task messages one poll of the task queue receives; the worker polls only while a
 *                          whole batch of light tasks would find a thread or a leased place in the backlog
 */
@ConfigurationProperties(prefix = "geoetl.queues")
public record QueueProperties(String jobQueue, String taskQueue, Duration visibilityTimeout, int maxDeliveries,
        Duration retryBackoff, Duration maxRetryBackoff, int receiveBatch) {

    public String poisonQueue(String queue) {
        return queue + "-poison";
    }
}
