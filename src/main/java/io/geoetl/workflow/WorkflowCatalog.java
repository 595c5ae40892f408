package io.geoetl.workflow;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.geoetl.error.BadRequestException;
import org.springframework.stereotype.Component;

/**
 * Every job type and task handler, collected from Spring beans. Refuses to start on a duplicate job
 * type, a duplicate task type or a stage whose task type no handler provides.
 */
@Component
public class WorkflowCatalog {

    private final Map<String, Workflow> workflows = new TreeMap<>();
    private final Map<String, TaskHandler> handlers = new HashMap<>();

    public WorkflowCatalog(List<Workflow> workflowBeans, List<TaskHandler> handlerBeans) {
        for (TaskHandler handler : handlerBeans) {
            TaskHandler previous = handlers.putIfAbsent(handler.taskType(), handler);
            if (previous != null) {
                throw new IllegalStateException("task type '" + handler.taskType() + "' is provided twice: by "
                        + previous.getClass().getName() + " and " + handler.getClass().getName());
            }
        }
        for (Workflow workflow : workflowBeans) {
            Workflow previous = workflows.putIfAbsent(workflow.jobType(), workflow);
            if (previous != null) {
                throw new IllegalStateException("job type '" + workflow.jobType() + "' is provided twice: by "
                        + previous.getClass().getName() + " and " + workflow.getClass().getName());
            }
            if (workflow.stages().isEmpty()) {
                throw new IllegalStateException("job type '" + workflow.jobType() + "' has no stages");
            }
            for (StageDefinition stage : workflow.stages()) {
                if (!handlers.containsKey(stage.taskType())) {
                    throw new IllegalStateException("job type '" + workflow.jobType() + "' stage '" + stage.name()
                            + "' needs task type '" + stage.taskType() + "' which no TaskHandler provides");
                }
            }
        }
    }

    /** The workflow of a submitted job type, or 400 naming the available types. */
    public Workflow workflow(String jobType) {
        Workflow workflow = workflows.get(jobType);
        if (workflow == null) {
            throw new BadRequestException("unknown_job_type", "job type '" + jobType + "' is not known; available: "
                    + String.join(", ", workflows.keySet()), Map.of("available", List.copyOf(workflows.keySet())));
        }
        return workflow;
    }

    public Optional<Workflow> find(String jobType) {
        return Optional.ofNullable(workflows.get(jobType));
    }

    public Collection<Workflow> workflows() {
        return workflows.values();
    }

    public TaskHandler handler(String taskType) {
        TaskHandler handler = handlers.get(taskType);
        if (handler == null) {
            throw new IllegalStateException("no handler for task type " + taskType);
        }
        return handler;
    }
}
