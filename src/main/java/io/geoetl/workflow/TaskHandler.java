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
}
