package io.geoetl.orchestration;

import java.time.OffsetDateTime;
import java.util.Map;

/** A task row as the worker and the API read it. */
public record TaskRecord(String taskId, String jobId, int generation, int stage, String taskKey, String taskType,
        String status, int attempt, Map<String, Object> parameters, Map<String, Object> result,
        Map<String, Object> errorDetails, OffsetDateTime createdAt, OffsetDateTime queuedAt,
        OffsetDateTime startedAt, OffsetDateTime heartbeatAt, OffsetDateTime endedAt) {
}
