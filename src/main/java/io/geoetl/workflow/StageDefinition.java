package io.geoetl.workflow;

/**
 * A stage of a workflow.
 *
 * @param name     short name shown in the status, e.g. {@code greet}
 * @param taskType the handler that runs each task of the stage
 */
public record StageDefinition(String name, String taskType) {
}
