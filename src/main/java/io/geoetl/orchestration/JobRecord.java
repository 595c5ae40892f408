package io.geoetl.orchestration;

import java.time.OffsetDateTime;
import java.util.Map;

/** A job row as the engine and the API read it. */
public record JobRecord(String jobId, String jobType, JobStatus status, int stage, int totalStages, int generation,
        int retryRound, Map<String, Object> parameters, Map<String, Object> resultData,
        Map<String, Object> errorDetails, OffsetDateTime createdAt, OffsetDateTime updatedAt,
        OffsetDateTime startedAt, OffsetDateTime endedAt) {
}
