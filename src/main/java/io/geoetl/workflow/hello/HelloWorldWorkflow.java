package io.geoetl.workflow.hello;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import io.geoetl.workflow.FailurePolicy;
import io.geoetl.workflow.JobSummaryContext;
import io.geoetl.workflow.ParameterField;
import io.geoetl.workflow.ParameterSchema;
import io.geoetl.workflow.StageDefinition;
import io.geoetl.workflow.StagePlanContext;
import io.geoetl.workflow.TaskSpec;
import io.geoetl.workflow.Workflow;
import org.springframework.stereotype.Component;

/**
 * The orchestration test job: stage 1 greets with n tasks ({@code hello_0} .. {@code hello_<n-1>}),
 * stage 2 replies once per completed greeting, each reply reading its stage-1 predecessor. The
 * knobs inject failures and slowness so every engine path can be exercised.
 */
@Component
class HelloWorldWorkflow implements Workflow {

    static final String KEY_PATTERN = "hello_[0-9]{1,6}";

    private static final ParameterSchema PARAMETERS = ParameterSchema.of(
            ParameterField.integer("n", "number of greeting tasks (and replies)", 3L, 0, 100_000),
            ParameterField.string("message", "text every greeting carries", "hello", 200),
            ParameterField.choice("failure_policy", "fail_fast: the first failed task fails the job; "
                    + "continue: finish and end completed_with_errors", "fail_fast", List.of("fail_fast", "continue")),
            ParameterField.number("max_failure_ratio", "with continue: fail the job when a stage's failed/total "
                    + "exceeds this", 1.0, 0.0, 1.0),
            ParameterField.stringList("fail_keys", "greeting task keys that fail, e.g. hello_3", 1000, KEY_PATTERN),
            ParameterField.integer("fail_attempts", "fail only the first K attempts of fail_keys, then succeed "
                    + "(0: every attempt)", 0L, 0, 100),
            ParameterField.bool("fail_permanent", "failures are permanent (true) or transient and redelivered "
                    + "(false)", true),
            ParameterField.integer("sleep_ms", "milliseconds each task sleeps", 0L, 0, 3_600_000),
            // Optional, so that adding it left the job id of every existing hello_world submission unchanged.
            ParameterField.optionalInteger("hang_attempts", "the first K attempts of every greeting hang until "
                    + "interrupted (maximum task duration, shutdown) or killed, like a stuck worker; later attempts "
                    + "run", 0, 100));

    private static final List<StageDefinition> STAGES = List.of(
            new StageDefinition("greet", HelloGreetingHandler.TYPE),
            new StageDefinition("reply", HelloReplyHandler.TYPE));

    @Override
    public String jobType() {
        return "hello_world";
    }

    @Override
    public String description() {
        return "Two-stage orchestration test: n greetings, then one reply per greeting";
    }

    @Override
    public ParameterSchema parameters() {
        return PARAMETERS;
    }

    @Override
    public List<StageDefinition> stages() {
        return STAGES;
    }

    @Override
    public Stream<TaskSpec> planTasks(int stage, StagePlanContext context) {
        if (stage == 1) {
            long n = ((Number) context.jobParameters().get("n")).longValue();
            return LongStream.range(0, n).mapToObj(i -> new TaskSpec("hello_" + i, Map.of("index", i)));
        }
        return context.completedTasks(1).map(greeting -> new TaskSpec(greeting.key(), Map.of()));
    }

    @Override
    public FailurePolicy failurePolicy(int stage, Map<String, Object> jobParameters) {
        if ("continue".equals(jobParameters.get("failure_policy"))) {
            return new FailurePolicy(false, ((Number) jobParameters.get("max_failure_ratio")).doubleValue());
        }
        return FailurePolicy.FAIL_FAST;
    }

    @Override
    public Map<String, Object> summarize(JobSummaryContext context) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("stages", context.stageStatistics());
        long greetings = count(context, 0, "completed");
        long replies = count(context, 1, "completed");
        result.put("greetings", greetings);
        result.put("replies", replies);
        result.put("conversation", "paged from /api/db/tasks/" + context.jobId() + "?stage=2");
        return result;
    }

    private static long count(JobSummaryContext context, int index, String field) {
        List<Map<String, Object>> stages = context.stageStatistics();
        return index < stages.size() ? ((Number) stages.get(index).get(field)).longValue() : 0;
    }
}
