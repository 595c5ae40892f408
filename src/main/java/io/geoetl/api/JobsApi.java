package io.geoetl.api;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geoetl.error.BadRequestException;
import io.geoetl.orchestration.JobListView;
import io.geoetl.orchestration.JobRecord;
import io.geoetl.orchestration.JobStatus;
import io.geoetl.orchestration.JobStatusView;
import io.geoetl.orchestration.JobSubmitter;
import io.geoetl.orchestration.TaskRecord;
import io.geoetl.orchestration.TaskRepository;
import io.geoetl.workflow.Workflow;
import io.geoetl.workflow.WorkflowCatalog;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** Job endpoints: submit, status, list, job types and the tasks of a job. */
@Component("jobsApi")
public class JobsApi {

    private static final List<String> JOB_STATUSES = Arrays.stream(JobStatus.values())
            .map(JobStatus::db).toList();
    private static final List<String> TASK_STATUSES = List.of("pending", "queued", "processing", "completed",
            "failed", "cancelled");

    private final JobSubmitter submitter;
    private final JobStatusView statusView;
    private final JobListView listView;
    private final TaskRepository tasks;
    private final WorkflowCatalog catalog;
    private final ObjectMapper mapper;

    public JobsApi(JobSubmitter submitter, JobStatusView statusView, JobListView listView, TaskRepository tasks,
            WorkflowCatalog catalog, ObjectMapper mapper) {
        this.submitter = submitter;
        this.statusView = statusView;
        this.listView = listView;
        this.tasks = tasks;
        this.catalog = catalog;
        this.mapper = mapper;
    }

    /** 202 with Location for a new job; 200 with the existing job for a duplicate. */
    public ApiResponse submit(@Header("job_type") String jobType, @Body String body) {
        JobSubmitter.Submission submission = submitter.submit(jobType, parseParameters(body));
        JobRecord job = submission.job();
        Map<String, Object> answer = JobStatusView.summary(job);
        answer.put("status_url", statusPath(job.jobId()));
        answer.put("message", submission.created() ? "job queued" : "an identical job already exists");
        return new ApiResponse(submission.created() ? 202 : 200, answer,
                Map.of("Location", statusPath(job.jobId())));
    }

    public ApiResponse status(@Header("job_id") String jobId) {
        return ApiResponse.ok(statusView.status(jobId));
    }

    /**
     * A page of jobs, newest first, each with its current stage and stage name, task counts, progress
     * and error summary: everything a live job list shows, in one call.
     */
    public ApiResponse list(@Header("status") String status, @Header("job_type") String jobType,
            @Header("limit") String limit, @Header("before") String before) {
        String statusFilter = QueryParameters.oneOf("status", status, JOB_STATUSES);
        String typeFilter = jobType == null || jobType.isBlank() ? null : catalog.workflow(jobType).jobType();
        OffsetDateTime cursor = parseCursor(before);
        int pageSize = QueryParameters.limit(limit, 50, 500);
        JobListView.Page page = listView.page(statusFilter, typeFilter, cursor, pageSize);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jobs", page.jobs());
        answer.put("count", page.jobs().size());
        answer.put("next_before", page.nextBefore() == null ? null : page.nextBefore().toString());
        return ApiResponse.ok(answer);
    }

    public ApiResponse types() {
        List<Map<String, Object>> types = new ArrayList<>();
        for (Workflow workflow : catalog.workflows()) {
            Map<String, Object> type = new LinkedHashMap<>();
            type.put("job_type", workflow.jobType());
            type.put("description", workflow.description());
            type.put("stages", workflow.stages().stream().map(stage -> Map.of("name", stage.name(), "task_type",
                    stage.taskType())).toList());
            type.put("parameters", workflow.parameters().jsonSchema());
            types.add(type);
        }
        return ApiResponse.ok(Map.of("job_types", types));
    }

    /** Tasks of a job, filtered by stage and status, paged by task id ({@code after}). */
    public ApiResponse tasks(@Header("job_id") String jobId, @Header("stage") String stage,
            @Header("status") String status, @Header("after") String after, @Header("limit") String limit) {
        JobRecord job = statusView.job(jobId);
        int pageSize = QueryParameters.limit(limit, 100, 1000);
        List<TaskRecord> page = tasks.page(job.jobId(), QueryParameters.optionalInteger("stage", stage),
                QueryParameters.oneOf("status", status, TASK_STATUSES), after, pageSize);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("job_id", job.jobId());
        answer.put("tasks", page.stream().map(JobStatusView::task).toList());
        answer.put("count", page.size());
        answer.put("next_after", page.size() == pageSize ? page.get(page.size() - 1).taskId() : null);
        return ApiResponse.ok(answer);
    }

    private Map<String, Object> parseParameters(String body) {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("invalid_json", "request body is not valid JSON: "
                    + e.getOriginalMessage(), Map.of());
        }
        if (!node.isObject()) {
            throw new BadRequestException("invalid_json", "request body must be a JSON object of parameters",
                    Map.of());
        }
        Map<String, Object> parameters = mapper.convertValue(node, mapper.getTypeFactory()
                .constructMapType(LinkedHashMap.class, String.class, Object.class));
        return parameters;
    }

    private static OffsetDateTime parseCursor(String before) {
        if (before == null || before.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(before);
        } catch (DateTimeParseException e) {
            throw new BadRequestException("invalid_parameter", "before must be an RFC 3339 timestamp",
                    Map.of("field", "before"));
        }
    }

    static String statusPath(String jobId) {
        return "/api/jobs/status/" + jobId;
    }
}
