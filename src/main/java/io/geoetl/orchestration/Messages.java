package io.geoetl.orchestration;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Queue message bodies. Messages carry ids, never payloads, so every message stays well under a
 * kilobyte whatever the job does. Parsing failures are {@link MalformedMessageException}s.
 */
public final class Messages {

    /** Largest body geoetl ever sends; Storage Queue allows 64 KB (base64 included), Service Bus 256 KB. */
    public static final int MAX_BODY_CHARS = 8192;

    private Messages() {
    }

    /** Refuses to produce an oversized body: anything large must travel by reference (a table row, a blob). */
    static String bounded(String body) {
        if (body.length() > MAX_BODY_CHARS) {
            throw new IllegalStateException("queue message of " + body.length() + " characters exceeds "
                    + MAX_BODY_CHARS + "; pass a reference instead");
        }
        return body;
    }

    /** Open (or re-open after a crash) stage {@code stage} of generation {@code generation}. */
    public record JobMessage(String jobId, int generation, int stage) {

        public String toJson() {
            return bounded(Json.write(Map.of("job_id", jobId, "generation", generation, "stage", stage)));
        }
    }

    /** Run one task. {@code taskClass} picks the worker pool before the database is read. */
    public record TaskMessage(String taskId, String jobId, String taskClass) {

        public String toJson() {
            return bounded(Json.write(Map.of("task_id", taskId, "job_id", jobId, "task_class", taskClass)));
        }
    }

    public static JobMessage parseJob(String body) {
        Map<String, Object> fields = parse(body);
        String jobId = text(fields, "job_id");
        if (!Ids.isJobId(jobId)) {
            throw new MalformedMessageException("job message has no valid job_id", recoverId(fields, body), null);
        }
        return new JobMessage(jobId, number(fields, "generation", jobId), number(fields, "stage", jobId));
    }

    public static TaskMessage parseTask(String body) {
        Map<String, Object> fields = parse(body);
        String taskId = text(fields, "task_id");
        String jobId = text(fields, "job_id");
        if (!Ids.isTaskId(taskId) || !Ids.isJobId(jobId) || !jobId.startsWith(taskId.substring(0, 16))) {
            throw new MalformedMessageException("task message has no valid task_id and job_id",
                    Ids.isTaskId(taskId) ? taskId : recoverId(fields, body), null);
        }
        String taskClass = text(fields, "task_class");
        return new TaskMessage(taskId, jobId, taskClass == null ? "light" : taskClass);
    }

    private static Map<String, Object> parse(String body) {
        if (body == null || body.isBlank()) {
            throw new MalformedMessageException("message body is empty", null, null);
        }
        try {
            return Json.readMap(body);
        } catch (RuntimeException e) {
            throw new MalformedMessageException("message body is not a JSON object", recoverId(Map.of(), body), e);
        }
    }

    private static String text(Map<String, Object> fields, String name) {
        return fields.get(name) instanceof String text ? text : null;
    }

    private static int number(Map<String, Object> fields, String name, String jobId) {
        if (fields.get(name) instanceof Integer value && value > 0) {
            return value;
        }
        throw new MalformedMessageException("job message field '" + name + "' is not a positive integer", jobId,
                null);
    }

    /** Finds a job or task id anywhere in a broken body, so the record it belongs to can be failed. */
    static String recoverId(Map<String, Object> fields, String body) {
        for (Object value : fields.values()) {
            if (value instanceof String text && (Ids.isTaskId(text) || Ids.isJobId(text))) {
                return text;
            }
        }
        var task = Pattern.compile("[0-9a-f]{16}-s[0-9]{1,3}-[a-z0-9_]{1,64}").matcher(body);
        if (task.find()) {
            return task.group();
        }
        var job = Pattern.compile("(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])").matcher(body);
        return job.find() ? job.group() : null;
    }
}
