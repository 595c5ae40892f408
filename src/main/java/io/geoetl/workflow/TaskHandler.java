package io.geoetl.workflow;

import java.util.Map;

/**
 * Runs one task type. Plain Java: typed input in, a small JSON-able result out. Throw a
 * PermanentTaskException for bad input (no redelivery) and a TransientTaskException for what may
 * pass later (redelivered with backoff).
 */
public interface TaskHandler {

    /** The name workflow stages refer to, e.g. {@code hello_greet}. */
    String taskType();

    default TaskClass taskClass() {
        return TaskClass.LIGHT;
    }

    Map<String, Object> handle(TaskInput input) throws Exception;

    /** The work of a handler written as a lambda. */
    @FunctionalInterface
    interface Body {
        Map<String, Object> handle(TaskInput input) throws Exception;
    }

    /** A handler from a lambda, for task types whose work is a call or two. */
    static TaskHandler of(String taskType, TaskClass taskClass, Body body) {
        return new TaskHandler() {
            @Override
            public String taskType() {
                return taskType;
            }

            @Override
            public TaskClass taskClass() {
                return taskClass;
            }

            @Override
            public Map<String, Object> handle(TaskInput input) throws Exception {
                return body.handle(input);
            }
        };
    }
}
