package io.geoetl.orchestration;

import java.time.OffsetDateTime;
import java.util.Map;

/** A job_stage row: the stage's counters and its summary. */
public record StageRecord(int stage, int taskCount, int openTasks, int completedTasks, int failedTasks,
        Map<String, Object> result, OffsetDateTime createdAt, OffsetDateTime endedAt) {
}
