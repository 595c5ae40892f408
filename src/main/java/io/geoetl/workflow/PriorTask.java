package io.geoetl.workflow;

import java.util.Map;

/**
 * A finished task of an earlier stage, as later stages read it.
 *
 * @param taskId its id
 * @param key    its semantic key
 * @param status completed or failed
 * @param result its stored result (empty when it failed)
 */
public record PriorTask(String taskId, String key, String status, Map<String, Object> result) {
}
