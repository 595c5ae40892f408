package io.geoetl.workflow;

import java.util.Map;
import java.util.stream.Stream;

/** What a workflow may read when it plans a stage's tasks. */
public interface StagePlanContext {

    String jobId();

    Map<String, Object> jobParameters();

    /**
     * The completed tasks of an earlier stage, streamed in key order from the database page by page,
     * so planning a 100,000-task stage never holds them all. Close the stream when done.
     */
    Stream<PriorTask> completedTasks(int stage);
}
