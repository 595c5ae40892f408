package io.geoetl.api;

import java.util.Map;

import io.geoetl.error.NotFoundException;
import io.geoetl.orchestration.Ids;
import io.geoetl.orchestration.JobControl;
import io.geoetl.orchestration.JobStatusView;
import io.geoetl.orchestration.Reconciler;
import io.geoetl.orchestration.TaskRecord;
import io.geoetl.orchestration.TaskRepository;
import org.apache.camel.Header;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** Cancel, retry, resubmit and the debug endpoints kept from the older system. */
@Component("controlApi")
public class ControlApi {

    private final JobControl control;
    private final TaskRepository tasks;
    private final ObjectProvider<Reconciler> reconciler;

    public ControlApi(JobControl control, TaskRepository tasks, ObjectProvider<Reconciler> reconciler) {
        this.control = control;
        this.tasks = tasks;
        this.reconciler = reconciler;
    }

    public ApiResponse cancel(@Header("job_id") String jobId) {
        return ApiResponse.ok(JobStatusView.summary(control.cancel(jobId)));
    }

    public ApiResponse retry(@Header("job_id") String jobId) {
        return new ApiResponse(202, JobStatusView.summary(control.retry(jobId)),
                Map.of("Location", JobsApi.statusPath(jobId)));
    }

    public ApiResponse resubmit(@Header("job_id") String jobId) {
        return new ApiResponse(202, JobStatusView.summary(control.resubmit(jobId)),
                Map.of("Location", JobsApi.statusPath(jobId)));
    }

    public ApiResponse retryTask(@Header("task_id") String taskId) {
        return new ApiResponse(202, JobStatusView.task(control.retryTask(validTaskId(taskId))), Map.of());
    }

    /** A task with its attempt count, the error of every failed attempt and its timings. */
    public ApiResponse task(@Header("task_id") String taskId) {
        TaskRecord task = tasks.find(validTaskId(taskId)).orElseThrow(() -> new NotFoundException("task", taskId));
        Map<String, Object> view = JobStatusView.task(task);
        view.put("attempt_errors", tasks.attemptErrors(task.taskId()));
        return ApiResponse.ok(view);
    }

    public ApiResponse stuckJobs() {
        Reconciler available = reconciler.getIfAvailable();
        if (available == null) {
            return ApiResponse.ok(Map.of("message", "this instance runs no worker role, so no reconciler"));
        }
        return ApiResponse.ok(available.inspect());
    }

    private static String validTaskId(String taskId) {
        if (!Ids.isTaskId(taskId)) {
            throw new NotFoundException("task", taskId);
        }
        return taskId;
    }
}
